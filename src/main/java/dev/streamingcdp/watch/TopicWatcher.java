package dev.streamingcdp.watch;

import dev.streamingcdp.config.JobDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the watched topics and feeds a {@link WatchView}. No consumer group: it assigns every partition itself and
 * commits nothing, so watching never disturbs the job or another watcher.
 */
public final class TopicWatcher implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    /** When to print summaries and when to stop by itself; 0 means no limit. */
    public record Limits(Duration interval, long maxRecords, Duration maxTime) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;

    public TopicWatcher(JobDefinition.Kafka kafka, Collection<String> topics) {
        Properties props = new Properties();
        props.putAll(kafka.properties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdp-watch");
        // The job writes transactionally: show only what it committed, as every downstream consumer sees it.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Looking up a missing topic must not create it with broker defaults.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = List.copyOf(topics);
    }

    /** Assigns all partitions of the watched topics unless some do not exist; returns those missing. */
    public List<String> assign(boolean fromBeginning) {
        List<String> missing = new ArrayList<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                missing.add(topic);
            } else {
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
        }
        if (missing.isEmpty()) {
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
        }
        return missing;
    }

    /** Polls until a limit is reached or {@link #wakeup()} is called; then shows what was held back. */
    public void run(WatchView view, Limits limits) {
        long start = System.currentTimeMillis();
        long stopAt = limits.maxTime().isZero() ? Long.MAX_VALUE : start + limits.maxTime().toMillis();
        long nextSummary = start + limits.interval().toMillis();
        long seen = 0;
        try {
            while (System.currentTimeMillis() < stopAt) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    view.record(record.topic(), record.value(), now);
                    if (++seen == limits.maxRecords()) {
                        return;
                    }
                }
                view.tick(now);
                if (now >= nextSummary) {
                    view.summary(now);
                    nextSummary = now + limits.interval().toMillis();
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: a normal way to stop.
        } finally {
            view.finish(System.currentTimeMillis());
        }
    }

    /** Safe from another thread (the shutdown hook): makes a blocked or the next poll return. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
