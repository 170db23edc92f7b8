package dev.streamingcdp.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamingcdp.identity.avro.EraseIdentifier;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.privacy.avro.PrivacyRecord;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Privacy requests: the contract's JSON, identifiers normalised as ingestion does, bad requests to the DLQ. */
class PrivacyRequestTest {

    private static final EventNormalizer NORMALIZER =
            new EventNormalizer("US", "anonymous_id", 1000, 256, Duration.ofHours(1));
    private static final Suppressions SUPPRESSIONS =
            new Suppressions("a-test-salt-of-some-length", Duration.ofDays(10), Duration.ofMinutes(5));

    @ParameterizedTest(name = "{0} {1} -> {2}:{3}")
    @CsvSource(delimiter = '|', value = {
        "email       | ' Jane.Doe@Example.COM ' | email        | jane.doe@example.com",
        "phone       | '(415) 555-0123'         | phone        | +14155550123",
        "phone       | '+44 20 7946 0958'       | phone        | +442079460958",
        "user_id     | ' u-42 '                 | user_id      | u-42",
        "userId      | u-42                     | user_id      | u-42",
        "anonymousId | cookie-1                 | anonymous_id | cookie-1",
        "Loyalty ID  | ' L-7 '                  | loyalty_id   | L-7"})
    void theIdentifierIsNormalisedAsIngestionDoes(String type, String value, String namespace, String normalised)
            throws Exception {
        PrivacyRequest r = PrivacyRequest.parse(json("r-1", "ERASE", type, value), NORMALIZER);
        assertThat(r.requestId()).isEqualTo("r-1");
        assertThat(r.type()).isEqualTo(PrivacyRequest.Type.ERASE);
        assertThat(r.identifier()).isEqualTo(new Identifier(namespace, normalised));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "'{\"requestId\":\"r\",\"type\":\"FORGET\",\"identifier\":{\"type\":\"email\",\"value\":\"a@b.co\"}}' | 'type' must be ERASE, SUPPRESS or UNSUPPRESS",
        "'{\"type\":\"ERASE\",\"identifier\":{\"type\":\"email\",\"value\":\"a@b.co\"}}'                      | 'requestId' must be a non-empty string",
        "'{\"requestId\":\"r\",\"type\":\"ERASE\"}'                                                           | 'identifier' must be an object",
        "'{\"requestId\":\"r\",\"type\":\"ERASE\",\"identifier\":{\"value\":\"a@b.co\"}}'                     | 'identifier.type' must be a non-empty string",
        "'{\"requestId\":\"r\",\"type\":\"ERASE\",\"identifier\":{\"type\":\"email\",\"value\":\"nobody\"}}'  | 'identifier.value' is not a valid email",
        "'{\"requestId\":\"r\",\"type\":\"ERASE\",\"identifier\":{\"type\":\"phone\",\"value\":\"12\"}}'      | 'identifier.value' is not a valid phone number",
        "'[1, 2]'                                                                                             | not a JSON object",
        "'{\"requestId\": '                                                                                   | not JSON"})
    void aBadRequestIsNamedWithoutRepeatingTheIdentifier(String payload, String detail) {
        assertThatThrownBy(() -> PrivacyRequest.parse(utf8(payload), NORMALIZER))
                .isInstanceOf(PrivacyRequest.Invalid.class).hasMessageContaining(detail)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("nobody"));
    }

    @Test
    void eraseSuppressesAndAsksIdentitySuppressAndUnsuppressOnlyChangeTheList() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(
                new PrivacyRequestFunction(NORMALIZER, SUPPRESSIONS))) {
            h.processElement(record(json("r-1", "ERASE", "phone", "(415) 555-0123"), 1_000, 0), 0);
            h.processElement(record(json("r-2", "SUPPRESS", "email", "A@B.co"), 2_000, 1), 0);
            h.processElement(record(json("r-3", "UNSUPPRESS", "email", "a@b.co"), 3_000, 2), 0);
            h.processElement(record(utf8("{\"requestId\":\"r-4\"}"), 4_000, 3), 0);
            h.processElement(record(null, 5_000, 4), 0);

            String phone = SUPPRESSIONS.hash(new Identifier("phone", "+14155550123"));
            String email = SUPPRESSIONS.hash(new Identifier("email", "a@b.co"));
            assertThat(h.extractOutputValues()).extracting(SuppressionUpdate::getRequestId, SuppressionUpdate::getAdd,
                    SuppressionUpdate::getRemove).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("r-1", java.util.List.of(phone), java.util.List.of()),
                    org.assertj.core.groups.Tuple.tuple("r-2", java.util.List.of(email), java.util.List.of()),
                    org.assertj.core.groups.Tuple.tuple("r-3", java.util.List.of(), java.util.List.of(email)));
            assertThat(h.extractOutputValues().get(0).getEntry().getSince()).isEqualTo(1_000);
            assertThat(h.extractOutputValues().get(0).getEntry().getUntil())
                    .isEqualTo(1_000 + Duration.ofDays(10).toMillis());

            assertThat(h.getSideOutput(PrivacyRequestFunction.ERASURES)).extracting(StreamRecord::getValue)
                    .singleElement().satisfies(c -> {
                        assertThat(c.getKey()).isEqualTo("phone:+14155550123");
                        assertThat(c.getBody()).isEqualTo(new EraseIdentifier("r-1", 1_000L));
                    });
            assertThat(h.getSideOutput(DeadLetters.TAG)).extracting(StreamRecord::getValue)
                    .extracting(DeadLetter::getReason, d -> d.getSource().getOffset())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("bad_request", 3L),
                            org.assertj.core.groups.Tuple.tuple("bad_request", 4L));
        }
    }

    @Test
    void hashesAreSaltedHmacsOfTheNormalisedIdentifier() {
        Identifier x = new Identifier("email", "jane@example.com");
        String hash = SUPPRESSIONS.hash(x);
        assertThat(hash).hasSize(64).isEqualTo(SUPPRESSIONS.hash(new Identifier("email", "jane@example.com")))
                .isNotEqualTo(new Suppressions("another-salt-of-some-length", Duration.ofDays(1), Duration.ofMinutes(1))
                        .hash(x))
                .isNotEqualTo(dev.streamingcdp.activation.IdentifierMapping.sha256("email:jane@example.com"))
                .doesNotContain("jane");
    }

    static ByteBuffer json(String requestId, String type, String idType, String value) {
        return utf8("{\"requestId\":\"" + requestId + "\",\"type\":\"" + type + "\",\"identifier\":{\"type\":\""
                + idType + "\",\"value\":\"" + value + "\"}}");
    }

    private static PrivacyRecord record(ByteBuffer payload, long timestamp, long offset) {
        return new PrivacyRecord(payload, timestamp, new SourceRef("requests", 0, offset, 0L));
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
