package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.ingest.DeadLetterInputs.Rejected;
import dev.streamingcdp.ingest.RejectReason.Origin;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TestPipelines.Input;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter contract on the real job (in-JVM broker, MiniCluster, the demo's identity rules): every reason of
 * {@link RejectReason}'s table, from every input topic it names, ends as exactly one dead letter of README's shape;
 * an event whose identifiers are all blocked is that dead letter and nothing else (no enriched event).
 */
class DeadLetterContractIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Set<String> FIELDS = Set.of("reason", "detail", "source", "payload", "payloadBase64",
            "payloadTruncated", "payloadBytes", "rejectedAt");

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void everyReasonFromEveryTopicIsOneDeadLetterOfTheDocumentedShape() throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "dlq", checkpoints);
        KAFKA.createTopics(job);
        DeadLetterInputs data = new DeadLetterInputs(job);
        JobClient client = TestPipelines.start(job, IdentityRules.load(Path.of("jobs/retail-demo")));
        try {
            Map<String, Rejected> byPosition = new HashMap<>();
            List<Input> inputs = data.rejected.stream().map(Rejected::input).toList();
            List<RecordMetadata> written = TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
            for (int i = 0; i < written.size(); i++) {
                byPosition.put(position(written.get(i)), data.rejected.get(i));
            }
            TestPipelines.produce(KAFKA.bootstrapServers(), data.valid);
            TestPipelines.produce(KAFKA.bootstrapServers(), List.of(data.suppress()));
            List<ConsumerRecord<byte[], byte[]>> dead = sendProbesUntilSuppressed(job, data, byPosition.size());

            Map<String, Integer> letters = new HashMap<>();
            Set<String> pairs = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                JsonNode d = DeadLetterInputs.JSON.readTree(r.value());
                String position = checkShape(r, d, data);
                pairs.add(d.get("reason").asText() + " from " + data.origin(d.at("/source/topic").asText()));
                Rejected expected = byPosition.get(position);
                if (expected == null) {
                    assertThat(d.get("reason").asText()).as("a probe of the suppression list").isEqualTo("suppressed");
                    continue;
                }
                letters.merge(position, 1, Integer::sum);
                assertThat(d.get("reason").asText()).as("the reason of %s", position)
                        .isEqualTo(expected.reason().code());
                checkPayload(d, expected.input().value());
            }
            assertThat(letters).as("one dead letter per rejected record").hasSize(byPosition.size())
                    .allSatisfy((position, n) -> assertThat(n).as(position).isEqualTo(1));
            assertThat(pairs).as("every (reason, topic) pair of RejectReason's table, and no other")
                    .isEqualTo(tablePairs());

            List<String> enriched = TopicReader.readAll(KAFKA.bootstrapServers(), job.topics().enriched().name(),
                    Duration.ofSeconds(3)).stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
            assertThat(enriched).containsAll(data.validMessageIds)
                    .doesNotContain(DeadLetterInputs.ALL_BLOCKED_JSON, DeadLetterInputs.ALL_BLOCKED_AVRO);
        } finally {
            client.cancel().get();
        }
    }

    /**
     * The suppression list reaches the filter at some point after the request: send events carrying the suppressed
     * e-mail (JSON and Avro) until both are dead-lettered, then return the whole dead-letter topic.
     */
    private List<ConsumerRecord<byte[], byte[]>> sendProbesUntilSuppressed(JobDefinition job, DeadLetterInputs data,
            int rejected) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int round = 0; System.nanoTime() < deadline; round++) {
            TestPipelines.produce(KAFKA.bootstrapServers(), data.probe(round));
            List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readUntil(KAFKA.bootstrapServers(),
                    job.topics().deadLetter(), r -> r.size() >= rejected && suppressedFromBoth(r, data),
                    Duration.ofSeconds(3));
            if (dead.size() >= rejected && suppressedFromBoth(dead, data)) {
                return TopicReader.readAll(KAFKA.bootstrapServers(), job.topics().deadLetter(), Duration.ofSeconds(3));
            }
        }
        throw new AssertionError("no suppressed dead letter from both event topics within " + TIMEOUT);
    }

    private static boolean suppressedFromBoth(List<ConsumerRecord<byte[], byte[]>> dead, DeadLetterInputs data) {
        Set<Origin> from = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            JsonNode d = read(r.value());
            if (d.path("reason").asText().equals("suppressed")) {
                from.add(data.origin(d.at("/source/topic").asText()));
            }
        }
        return from.containsAll(Set.of(Origin.EVENTS_JSON, Origin.EVENTS_AVRO));
    }

    /** README's fields, each with its type; returns the source position the key names. */
    private static String checkShape(ConsumerRecord<byte[], byte[]> r, JsonNode d, DeadLetterInputs data) {
        List<String> names = new ArrayList<>();
        d.fieldNames().forEachRemaining(names::add);
        assertThat(FIELDS).as("documented fields of %s", d).containsAll(names);
        assertThat(names).contains("reason", "detail", "source", "rejectedAt");
        RejectReason reason = RejectReason.valueOf(d.get("reason").asText().toUpperCase(java.util.Locale.ROOT));
        assertThat(reason.origins()).as("the table names the topic of %s", d.get("reason"))
                .contains(data.origin(d.at("/source/topic").asText()));
        assertThat(d.get("detail").asText()).isNotBlank().hasSizeLessThanOrEqualTo(DeadLetterJson.MAX_DETAIL_CHARS + 3);
        assertThat(d.at("/source/partition").isInt()).isTrue();
        assertThat(d.at("/source/offset").isIntegralNumber()).isTrue();
        assertThat(Instant.parse(d.get("rejectedAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(d.has("payload") ^ d.has("payloadBase64")).as("payload as text or as base64: %s", names).isTrue();
        assertThat(d.has("payloadTruncated")).isEqualTo(d.has("payloadBytes"));
        String position = d.at("/source/topic").asText() + ":" + d.at("/source/partition").asInt() + ":"
                + d.at("/source/offset").asLong();
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(position);
        if (!reason.keepsPayload()) {
            assertThat(d.get("payload").asText()).as("withheld").isEmpty();
        }
        return position;
    }

    /** The payload is the record's bytes, whole, or its first 128 KB marked as cut with the full size. */
    private static void checkPayload(JsonNode d, byte[] original) {
        byte[] kept = d.has("payload") ? d.get("payload").asText().getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(d.get("payloadBase64").asText());
        if (original.length > DeadLetterJson.MAX_PAYLOAD_BYTES) {
            assertThat(d.path("payloadTruncated").asBoolean()).as("marked as cut").isTrue();
            assertThat(d.path("payloadBytes").asLong()).isEqualTo(original.length);
            assertThat(kept).hasSize(DeadLetterJson.MAX_PAYLOAD_BYTES);
            assertThat(original).startsWith(kept);
        } else {
            assertThat(d.has("payloadTruncated")).as("not cut: %s", d.get("reason")).isFalse();
            assertThat(kept).as("the whole record (%s)", d.get("reason")).isEqualTo(original);
        }
    }

    private static Set<String> tablePairs() {
        Set<String> pairs = new HashSet<>();
        for (RejectReason reason : RejectReason.values()) {
            for (Iterator<Origin> it = reason.origins().iterator(); it.hasNext(); ) {
                pairs.add(reason.code() + " from " + it.next());
            }
        }
        return pairs;
    }

    private static String position(RecordMetadata m) {
        return m.topic() + ":" + m.partition() + ":" + m.offset();
    }

    private static JsonNode read(byte[] value) {
        try {
            return DeadLetterInputs.JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
