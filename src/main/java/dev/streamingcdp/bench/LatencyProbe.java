package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches one output topic (read_committed, as a downstream consumer of exactly-once output must read) for the first
 * record keyed by each awaited profile id, and keeps two latencies per id: to the record's Kafka timestamp (when the
 * job wrote it) and to the moment this consumer saw it (when it became visible downstream).
 */
final class LatencyProbe implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final Properties props;
    private final String requiredType;
    private final Map<String, Long> awaited = new ConcurrentHashMap<>();
    private final List<long[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);

    /** @param requiredType only records whose JSON "type" is this count (null: any record with the key) */
    LatencyProbe(String bootstrapServers, Map<String, String> clientProperties, String topic, String requiredType) {
        this.topic = topic;
        this.requiredType = requiredType;
        props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    }

    /** Call just before the triggering record is sent. */
    void await(String profileId, long sentMillis) {
        awaited.put(profileId, sentMillis);
    }

    int pending() {
        return awaited.size();
    }

    /** {timestampLatency, visibleLatency} per record seen, in ms. */
    List<long[]> seen() {
        return seen;
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
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    if (r.key() == null) {
                        continue;
                    }
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    Long sent = awaited.get(key);
                    if (sent != null && hasType(r.value()) && awaited.remove(key) != null) {
                        seen.add(new long[] {r.timestamp() - sent, now - sent});
                    }
                }
            }
        }
    }

    private boolean hasType(byte[] value) {
        if (requiredType == null) {
            return true;
        }
        try {
            return value != null && requiredType.equals(JSON.readTree(value).path("type").asText());
        } catch (IOException e) {
            return false;
        }
    }

    Results.Summary summary(boolean visible) {
        long[] samples = seen.stream().mapToLong(s -> visible ? s[1] : s[0]).toArray();
        return Percentiles.summary(samples, awaited.size());
    }
}
