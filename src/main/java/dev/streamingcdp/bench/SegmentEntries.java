package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.JobDefinition;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the profiles that entered one segment on the segment-changes topic (read_committed, from its end when
 * started), and when the last of them became visible.
 */
final class SegmentEntries implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final String segment;
    private final Properties props = new Properties();
    private final Set<String> entered = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile long lastAt;

    SegmentEntries(JobDefinition job, String segment) {
        this.topic = job.topics().segmentChanges();
        this.segment = segment;
        props.putAll(job.kafka().properties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, job.kafka().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    long count() {
        return entered.size();
    }

    /** System.nanoTime() when the latest entry was seen. */
    long lastAt() {
        return lastAt;
    }

    void awaitAssigned() throws InterruptedException {
        assigned.await();
    }

    void stop() {
        stop.set(true);
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            assigned.countDown();
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    JsonNode change = parse(r.value());
                    if (change != null && "segment.entered".equals(change.path("type").asText())
                            && segment.equals(change.path("segment").path("id").asText())
                            && entered.add(change.path("profileId").asText())) {
                        lastAt = System.nanoTime();
                    }
                }
            }
        }
    }

    private static JsonNode parse(byte[] value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }
}
