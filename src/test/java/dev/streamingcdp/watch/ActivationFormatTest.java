package dev.streamingcdp.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamingcdp.activation.ActivationSerializer;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.activation.Destinations.Destination;
import dev.streamingcdp.activation.Destinations.Format;
import dev.streamingcdp.model.ActivationRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Activation records as the watch shows them, read from the bytes the job's own serializer writes. */
class ActivationFormatTest {

    private static final long OCCURRED = Instant.parse("2026-11-23T10:02:03Z").toEpochMilli();
    private static final Destination EMAIL =
            new Destination("email-marketing", "act.email", "marketing", Map.of(), Format.JSON, null);
    private static final Destination ADS =
            new Destination("ads-prospecting", "act.ads", "advertising", Map.of(), Format.AVRO, null);
    private static final Destinations DESTINATIONS = new Destinations(List.of(EMAIL, ADS), Map.of());

    private final RecordDecoder decoder = new RecordDecoder(DESTINATIONS);
    private final ActivationSerializer serializer = new ActivationSerializer(DESTINATIONS);
    private final ActivationFormat format = new ActivationFormat();

    @Test
    void entryShowsDestinationSegmentShortProfileSequenceTriggerConsentAndMaskedIdentifiers() {
        ActivationRecord entered = record(EMAIL, "segment.entered", "running-shoes-interest", 3,
                Map.of("email", List.of("beatrice@example.com")),
                "{\"trigger\": \"event\", \"consent\": {\"purpose\": \"marketing\", \"granted\": true, "
                        + "\"source\": \"stated\"}}");
        JsonNode json = decode(EMAIL, entered);

        assertThat(format.category(json)).isEqualTo("email-marketing.entered");
        assertThat(format.line(json)).isEqualTo("email-marketing     ENTERED  running-shoes-interest v1  "
                + "p-1a2b3c...  seq 3  on event  (consent marketing: granted)  email:bea***@example.com");
    }

    @Test
    void avroDestinationsReadLikeJsonOnes() {
        ActivationRecord exited = record(ADS, "segment.exited", "prospecting-ads", 2,
                Map.of("email_sha256", List.of("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")),
                "{\"trigger\": \"consent\", \"consent\": {\"purpose\": \"advertising\", \"granted\": false, "
                        + "\"source\": \"stated\"}}");
        JsonNode json = decode(ADS, exited);

        assertThat(format.category(json)).isEqualTo("ads-prospecting.exited");
        assertThat(format.line(json)).isEqualTo("ads-prospecting     EXITED   prospecting-ads v1" + " ".repeat(9)
                + "p-1a2b3c...  seq 2  consent changed  (consent advertising: not granted)  email_sha256:9f8***08");
    }

    @Test
    void erasureShowsNoSegmentNorConsentAndDefaultConsentIsNamed() {
        ActivationRecord erased = new ActivationRecord(ADS.name(), "profile.erased", null, null,
                "p-1a2b3c4d5e6f708192a3b4c5", Map.of(), OCCURRED, 4L, "{\"trigger\": \"erased\"}");
        JsonNode json = decode(ADS, erased);
        assertThat(format.category(json)).isEqualTo("ads-prospecting.erased");
        assertThat(format.line(json)).isEqualTo("ads-prospecting     ERASED   -" + " ".repeat(26)
                + "p-1a2b3c...  seq 4  erasure");

        ActivationRecord byDefault = record(EMAIL, "segment.entered", "retention-offer", 1, Map.of(),
                "{\"trigger\": \"definition\", \"consent\": {\"purpose\": \"personalisation\", \"granted\": true, "
                        + "\"source\": \"default\"}}");
        assertThat(format.line(decode(EMAIL, byDefault)))
                .endsWith("new definition  (consent personalisation: granted by default)");
    }

    @Test
    void longIdentifierListsAreShortenedAndTheRestCounted() {
        ActivationRecord many = record(EMAIL, "segment.entered", "retention-offer", 1,
                Map.of("email", List.of("a1@example.com", "a2@example.com"), "user_id", List.of("u-100001", "u-2")),
                "{\"trigger\": \"event\"}");
        String line = format.line(decode(EMAIL, many));

        assertThat(line).endsWith(" +1").doesNotContain("a1@", "a2@", "u-100001");
    }

    @Test
    void bytesThatAreNotTheDestinationsFormatAreUnreadableNotAnError() {
        byte[] json = serializer.serialize(record(EMAIL, "segment.entered", "x", 1, Map.of(), "{}"), null, null)
                .value();
        assertThat(decoder.decode(ADS.topic(), json)).as("JSON on an Avro destination").isNull();
        assertThat(decoder.decode(EMAIL.topic(), new byte[] {(byte) 0xc3, 0x01, 0x02})).isNull();
        assertThat(decoder.decode(EMAIL.topic(), null)).isNull();
        assertThat(decoder.decode("other-topic", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8)))
                .as("other topics are plain JSON, without a destination").hasToString("{\"a\":1}");
    }

    private static ActivationRecord record(Destination d, String type, String segment, long sequence,
            Map<String, List<String>> identifiers, String reason) {
        return new ActivationRecord(d.name(), type, segment, 1, "p-1a2b3c4d5e6f708192a3b4c5", identifiers, OCCURRED,
                sequence, reason);
    }

    private JsonNode decode(Destination d, ActivationRecord r) {
        JsonNode json = decoder.decode(d.topic(), serializer.serialize(r, null, null).value());
        assertThat(json).as("decoded").isNotNull();
        return json;
    }
}
