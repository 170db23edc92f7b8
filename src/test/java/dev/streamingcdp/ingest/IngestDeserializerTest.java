package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.ingest.avro.IngestRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class IngestDeserializerTest {

    private static final int LIMIT = 64 * 1024;

    /** Found by FuzzIT: a 1 MB record of quotes became a 2 MB dead letter, which failed the DLQ sink in a loop. */
    @Test
    void aTooLargeRecordsDeadLetterFitsInAKafkaRecord() throws Exception {
        byte[] huge = ("{\"properties\":{\"q\":\"" + "\\\"".repeat(500_000) + "\"}}").getBytes(StandardCharsets.UTF_8);

        IngestRecord record = deserialize(new ConsumerRecord<>("events", 3, 77L, null, huge));

        assertThat(record.getRejection().getReason()).isEqualTo("too_large");
        assertThat(record.getRejection().getDetail())
                .contains(huge.length + " bytes is over ingest.maxPayloadBytes (" + LIMIT + ")");
        byte[] deadLetter = DeadLetterJson.value(DeadLetters.of(record, "too_large", "detail"), Instant.EPOCH);
        assertThat(deadLetter.length).isLessThan(1024 * 1024);
        // README's bound for every dead letter (128 KB, marked with the full size), not ingest.maxPayloadBytes
        JsonNode json = new ObjectMapper().readTree(deadLetter);
        assertThat(json.get("payload").asText())
                .isEqualTo(new String(huge, 0, DeadLetterJson.MAX_PAYLOAD_BYTES, StandardCharsets.UTF_8));
        assertThat(json.get("payloadTruncated").asBoolean()).isTrue();
        assertThat(json.get("payloadBytes").asLong()).isEqualTo(huge.length);
    }

    @Test
    void aRecordAtTheLimitIsDecodedWhole() throws Exception {
        String event = "{\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\","
                + "\"anonymousId\":\"a\",\"name\":\"";
        byte[] atLimit = (event + "x".repeat(LIMIT - event.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(atLimit).hasSize(LIMIT);

        IngestRecord record = deserialize(new ConsumerRecord<>("events", 0, 1L, null, atLimit));

        assertThat(record.getRejection()).isNull();
        assertThat(record.getPayload().remaining()).isEqualTo(LIMIT);
    }

    /** Decodes one JSON record as the job's source does (topic "events"). */
    static IngestRecord deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception {
        IngestDeserializer deserializer = new IngestDeserializer(Map.of("events", Format.JSON), LIMIT);
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(IngestDeserializerTest.class.getClassLoader());
            }
        });
        List<IngestRecord> out = new ArrayList<>();
        deserializer.deserialize(record, new Collector<>() {
            @Override
            public void collect(IngestRecord r) {
                out.add(r);
            }

            @Override
            public void close() {}
        });
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
