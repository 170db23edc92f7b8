package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventDecodingAndValidationTest {

    private static final EventNormalizer NORMALIZER =
            new EventNormalizer("US", "anonymous_id", 1000, 256, Duration.ofHours(1));
    private static final SourceRef SOURCE = new SourceRef("events", 0, 7L, 0L);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad_json      | {\"type\": \"track\",",
        "bad_json      | [\"an\", \"array\"]",
        "bad_json      | {\"type\":\"track\",\"type\":\"page\"}",
        "bad_json      | {\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\"u\"} {\"ty",
        "bad_json      | {\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\"u\"}{}",
        "wrong_type    | {\"type\":\"track\",\"traits\":\"vip\"}",
        "wrong_type    | {\"type\":\"track\",\"userId\":{\"a\":1}}",
        "wrong_type    | {\"type\":\"track\",\"userId\":true}",
        "wrong_type    | {\"type\":7}",
        "wrong_type    | {\"type\":\"track\",\"context\":{\"externalIds\":{\"id\":\"1\"}}}",
        "wrong_type    | {\"type\":\"track\",\"context\":{\"consent\":{\"categoryPreferences\":{\"marketing\":\"yes\"}}}}",
        "missing_type  | {\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\"u\"}",
        "unknown_type  | {\"type\":\"purchase\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\"u\"}",
        "missing_field | {\"type\":\"track\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\"u\",\"event\":\"x\"}",
        "missing_field | {\"type\":\"track\",\"messageId\":\"m\",\"userId\":\"u\",\"event\":\"x\"}",
        "missing_field | {\"type\":\"track\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\"u\"}",
        "missing_field | {\"type\":\"alias\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\"u\"}",
        "missing_field | {\"type\":\"group\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\"u\"}",
        "bad_timestamp | {\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"soon\",\"userId\":\"u\"}",
        "no_identifier | {\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"userId\":\" \"}",
        "no_identifier | {\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"traits\":{\"email\":\"nope\"}}"})
    void badRecordsAreRejectedWithTheirReason(String reason, String json) {
        assertThatThrownBy(() -> decodeValidateNormalize(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.reason().code()).isEqualTo(reason);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void aTraitLongerThanTheLimitIsRefusedAndOneAtTheLimitPasses() throws RejectException {
        String event = "{\"type\":\"identify\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\","
                + "\"userId\":\"u\",\"traits\":{\"note\":\"%s\"}}";
        String atLimit = String.format(event, "x".repeat(1000 - "note".length()));
        assertThat(decodeValidateNormalize(atLimit.getBytes(StandardCharsets.UTF_8)).getTraits()).containsKey("note");
        String over = String.format(event, "x".repeat(1001 - "note".length()));
        assertThatThrownBy(() -> decodeValidateNormalize(over.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RejectException.class,
                        e -> assertThat(e.reason().code()).isEqualTo("too_large"));
    }

    @Test
    void anIdentifierLongerThanTheLimitIsRefused() {
        String json = "{\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\","
                + "\"userId\":\"" + "u".repeat(257) + "\"}";
        assertThatThrownBy(() -> decodeValidateNormalize(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.reason().code()).isEqualTo("too_large");
                    assertThat(e.getMessage()).contains("user_id").doesNotContain("uuu");
                });
    }

    @Test
    void bytesThatAreNotUtf8AreRejectedAsSuch() {
        byte[] payload = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> JsonEventDecoder.decode(payload))
                .isInstanceOfSatisfying(RejectException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_UTF8));
    }

    /**
     * Found by the fuzz test: "\\uD800" is valid JSON but no Unicode text; the job's Avro records would write it as
     * '?', so "m\\uD800" and "m\\uDBFF" would become one messageId (one dropped as a duplicate) or one identifier.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\"userId\":\"u\\uD800\"", "\"groupId\":\"g\\uDC00x\"",
        "\"properties\":{\"k\\uDBFF\":1}", "\"traits\":{\"tags\":[\"\\uDE00\\uD83D\"]}"})
    void anEscapedUnpairedSurrogateIsNotText(String field) {
        String json = "{\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\","
                + "\"anonymousId\":\"a\"," + field + "}";
        assertThatThrownBy(() -> JsonEventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.BAD_UTF8);
                    assertThat(e.getMessage()).contains("unpaired surrogate");
                });
    }

    @Test
    void anEscapedSurrogatePairIsText() throws Exception {
        String json = "{\"type\":\"page\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\","
                + "\"anonymousId\":\"\\uD83D\\uDE00\"}";
        assertThat(JsonEventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).getAnonymousId())
                .isEqualTo("\uD83D\uDE00");
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        String deep = "{\"type\":\"track\",\"properties\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001);
        assertThatThrownBy(() -> JsonEventDecoder.decode(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RejectException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_JSON));
    }

    @Test
    void garbageOnAnAvroTopicIsRejected() {
        assertThatThrownBy(() -> AvroEventDecoder.decode(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3}))
                .isInstanceOfSatisfying(RejectException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_AVRO));
    }

    @Test
    void everyIdentifierAnEventCarriesIsGatheredAndNormalised() throws Exception {
        String json = """
            {"type": "identify", "messageId": " m-1 ", "timestamp": "2026-11-23T12:00:00+02:00",
             "userId": 42, "anonymousId": "cookie-1", "channel": "Browser",
             "traits": {"email": " Jane@Example.com ", "plan": "gold", "address": {"city": "Berlin"}, "tags": ["a", "b"]},
             "context": {"traits": {"phone": "+49 30 123456", "plan": "silver"},
                         "device": {"id": "dev-9"},
                         "externalIds": [{"id": "L-77", "type": "Loyalty ID"}, {"id": "x@Y.com", "type": "email"}],
                         "consent": {"categoryPreferences": {"marketing": false, "personalisation": true}}}}
            """;
        CdpEvent e = decodeValidateNormalize(json.getBytes(StandardCharsets.UTF_8));

        assertThat(e.getMessageId()).isEqualTo("m-1");
        assertThat(e.getType()).isEqualTo("identify");
        assertThat(e.getEventTime()).hasToString("2026-11-23T10:00:00Z");
        assertThat(e.getChannel()).isEqualTo("browser");
        assertThat(e.getIdentifiers()).extracting(Identifier::getNamespace, Identifier::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple("user_id", "42"),
                org.assertj.core.groups.Tuple.tuple("anonymous_id", "cookie-1"),
                org.assertj.core.groups.Tuple.tuple("email", "jane@example.com"),
                org.assertj.core.groups.Tuple.tuple("phone", "+4930123456"),
                org.assertj.core.groups.Tuple.tuple("device_id", "dev-9"),
                org.assertj.core.groups.Tuple.tuple("loyalty_id", "L-77"),
                org.assertj.core.groups.Tuple.tuple("email", "x@y.com"));
        assertThat(e.getTraits()).containsEntry("plan", "gold") // the call's traits beat context.traits
                .containsEntry("email", "jane@example.com")
                .containsEntry("address.city", "Berlin")
                .containsEntry("tags", "[\"a\",\"b\"]");
        assertThat(e.getConsent()).isEqualTo(Map.of("marketing", false, "personalisation", true));
        assertThat(e.getSource()).isEqualTo(SOURCE);
    }

    @Test
    void anInvalidPhoneIsDroppedAndReportedWhileTheEventSurvives() throws Exception {
        String json = "{\"type\":\"identify\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\","
                + "\"userId\":\"u\",\"traits\":{\"phone\":\"12\"}}";
        SegmentEvent s = JsonEventDecoder.decode(json.getBytes(StandardCharsets.UTF_8));
        List<String> dropped = new ArrayList<>();
        CdpEvent e = NORMALIZER.normalize(s, EventValidator.validate(s), SOURCE, dropped::add);
        assertThat(dropped).containsExactly("phone");
        assertThat(e.getIdentifiers()).extracting(Identifier::getNamespace).containsExactly("user_id");
    }

    @Test
    void aliasPreviousIdGoesToTheConfiguredNamespace() throws Exception {
        String json = "{\"type\":\"alias\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\","
                + "\"userId\":\"u\",\"previousId\":\"cookie-7\"}";
        CdpEvent e = decodeValidateNormalize(json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.getIdentifiers()).contains(new Identifier("anonymous_id", "cookie-7"));
    }

    @Test
    void avroAndJsonDecodeToTheSameModel() throws Exception {
        SegmentEvent avro = SegmentEvent.newBuilder().setType("track").setMessageId("m")
                .setTimestamp("2026-11-23T10:00:00Z").setUserId("u").setEvent("Order Completed")
                .setProperties(Map.of("revenue", 99.5)).build();
        byte[] bytes = SegmentEvent.getEncoder().encode(avro).array();
        String json = "{\"type\":\"track\",\"messageId\":\"m\",\"timestamp\":\"2026-11-23T10:00:00Z\","
                + "\"userId\":\"u\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":99.5}}";
        assertThat(AvroEventDecoder.decode(bytes)).isEqualTo(JsonEventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static CdpEvent decodeValidateNormalize(byte[] payload) throws RejectException {
        SegmentEvent s = JsonEventDecoder.decode(payload);
        return NORMALIZER.normalize(s, EventValidator.validate(s), SOURCE, ns -> { });
    }
}
