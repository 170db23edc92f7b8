package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.SourceRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every dead letter fits in one Kafka record, whatever it came from; a small one keeps its payload whole. */
class DeadLetterJsonTest {

    private static final SourceRef SOURCE = new SourceRef("cdp.segments.control", 0, 7L, 0L);

    @Test
    void aNearlyOneMegabyteRecordOfControlCharactersStillFits() throws Exception {
        byte[] payload = "\u0001".repeat(1_000_000).getBytes(StandardCharsets.UTF_8);
        DeadLetter d = new DeadLetter("bad_segment", "x".repeat(100_000), SOURCE, ByteBuffer.wrap(payload));

        byte[] value = DeadLetterJson.value(d, Instant.EPOCH);

        assertThat(value.length).isLessThan(1_000_000);
        JsonNode json = new ObjectMapper().readTree(value);
        assertThat(json.get("payloadTruncated").asBoolean()).isTrue();
        assertThat(json.get("payloadBytes").asInt()).isEqualTo(1_000_000);
        assertThat(json.get("payload").asText()).hasSize(DeadLetterJson.MAX_PAYLOAD_BYTES);
        assertThat(json.get("detail").asText()).hasSize(DeadLetterJson.MAX_DETAIL_CHARS + 3);
    }

    @Test
    void aSmallRecordKeepsItsPayloadWhole() throws Exception {
        DeadLetter d = new DeadLetter("bad_request", "no type", SOURCE,
                ByteBuffer.wrap("{\"requestId\":\"r1\"}".getBytes(StandardCharsets.UTF_8)));

        JsonNode json = new ObjectMapper().readTree(DeadLetterJson.value(d, Instant.EPOCH));

        assertThat(json.get("payload").asText()).isEqualTo("{\"requestId\":\"r1\"}");
        assertThat(json.has("payloadTruncated")).isFalse();
        assertThat(json.get("detail").asText()).isEqualTo("no type");
    }
}
