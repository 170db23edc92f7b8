package dev.streamingcdp.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the job wrote for each input, by the input's source reference {@code topic:partition:offset}: "enriched" for
 * an enriched event, the reason for a dead letter. Read as a downstream consumer would (read_committed); only the
 * source and the reason of each record are kept, so that huge dead letters do not pile up in memory.
 */
final class Outcomes {

    static final String ENRICHED = "enriched";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every outcome per source; a correct job writes exactly one for each input that is not a duplicate. */
    final Map<String, List<String>> bySource = new HashMap<>();
    /** Dead letters whose key does not name the source inside them. */
    final List<String> inconsistentKeys = new ArrayList<>();

    static String source(String topic, int partition, long offset) {
        return topic + ":" + partition + ":" + offset;
    }

    /**
     * Polls both topics from the beginning until {@code expected} distinct sources have an outcome, then for
     * {@code settle} more (anything a broken job would write twice shows up then), or until {@code timeout}.
     */
    static Outcomes read(String bootstrap, String enrichedTopic, String deadLetterTopic, int expected,
            Duration settle, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        Outcomes outcomes = new Outcomes();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = Stream.of(enrichedTopic, deadLetterTopic)
                    .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settled = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settled)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    outcomes.add(r, r.topic().equals(enrichedTopic));
                }
                if (settled == Long.MAX_VALUE && outcomes.bySource.size() >= expected) {
                    settled = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return outcomes;
    }

    private void add(ConsumerRecord<byte[], byte[]> r, boolean enriched) {
        JsonNode value = parse(r.value());
        JsonNode s = value.path("source");
        String source = source(s.path("topic").asText(), s.path("partition").asInt(), s.path("offset").asLong());
        if (!enriched && !source.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            inconsistentKeys.add(new String(r.key(), StandardCharsets.UTF_8) + " != " + source);
        }
        String outcome = enriched ? ENRICHED : value.path("reason").asText("");
        bySource.computeIfAbsent(source, k -> new ArrayList<>(1)).add(outcome);
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("the job wrote a record that is not JSON", e);
        }
    }
}
