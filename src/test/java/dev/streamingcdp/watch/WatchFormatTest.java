package dev.streamingcdp.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class WatchFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void masksEmailsKeepingTheDomain() {
        assertThat(Masking.email("jane@example.com")).isEqualTo("jan***@example.com");
        assertThat(Masking.email("jo@example.com")).isEqualTo("j***@example.com");
        assertThat(Masking.email("not-an-email")).isEqualTo("not***il");
    }

    @Test
    void masksOtherIdentifiersToAShortPrefixAndSuffix() {
        assertThat(Masking.identifier("phone", "+14155550123")).isEqualTo("+14***23");
        assertThat(Masking.identifier("anonymous_id", "3f2a9c1e-7b7d-4c1a-9f00-0123456789ab")).isEqualTo("3f2***ab");
        assertThat(Masking.identifier("crm_id", "C-10001")).isEqualTo("C-1***");
        assertThat(Masking.identifier("user_id", "42")).isEqualTo("4***");
    }

    @Test
    void previewEscapesControlCharactersAndCapsTheLength() {
        assertThat(Preview.of("a\nb\tc\u001b[31m", 60)).isEqualTo("a\\nb\\tc\\u001b[31m");
        String cut = Preview.of("x".repeat(100), 60);
        assertThat(cut).hasSize(60).endsWith("...");
        assertThat(Preview.of("y".repeat(60), 60)).isEqualTo("y".repeat(60));
        // an escape or a surrogate pair is never cut in half
        assertThat(Preview.of("\n".repeat(40), 10)).isEqualTo("\\n\\n\\n...");
        assertThat(Preview.of("\uD83D\uDE00".repeat(10), 8)).isEqualTo("\uD83D\uDE00\uD83D\uDE00...");
    }

    @Test
    void profileLinesShowMaskedIdentifiersAndEventsOrTheMerge() throws Exception {
        ProfileFormat format = new ProfileFormat();
        JsonNode snapshot = JSON.readTree("""
                {"type": "profile.snapshot", "profileId": "p-1",
                 "identifiers": [{"namespace": "email", "value": "jane@example.com"}],
                 "eventCounts": {"page": 2, "identify": 1}}""");
        assertThat(format.category(snapshot)).isEqualTo("snapshot");
        assertThat(format.line(snapshot)).contains("p-1").contains("3 events").contains("email:jan***@example.com")
                .doesNotContain("jane@");
        JsonNode merged = JSON.readTree("{\"type\": \"profile.merged\", \"profileId\": \"p-2\", \"survivorId\": \"p-1\"}");
        assertThat(format.category(merged)).isEqualTo("merged");
        assertThat(format.line(merged)).contains("p-2").contains("merged into p-1");
    }

    @Test
    void enrichedLineShowsTimeTypeNameChannelAndMaskedIdentifiers() throws Exception {
        JsonNode event = JSON.readTree("""
                {"messageId": "m1", "type": "track", "eventTime": "2026-11-23T10:00:01.250Z",
                 "event": "Product Added", "channel": "browser",
                 "identifiers": [{"namespace": "email", "value": "jane@example.com"},
                                 {"namespace": "anonymous_id", "value": "3f2a9c1e-7b7d-4c1a-9f00-0123456789ab"}]}""");
        String line = new EnrichedFormat().line(event);

        assertThat(line).contains("10:00:01Z", "track", "Product Added", "browser",
                "email:jan***@example.com", "anonymous_id:3f2***ab");
        assertThat(line).doesNotContain("jane@", "3f2a9c1e");
        assertThat(new EnrichedFormat().category(event)).isEqualTo("track");
    }

    @Test
    void enrichedLineUsesThePageNameAndShortensLongIdentifierLists() throws Exception {
        JsonNode page = JSON.readTree("""
                {"type": "page", "eventTime": "2026-11-23T10:00:00Z", "event": null, "name": "Checkout",
                 "channel": "browser", "identifiers": [
                   {"namespace": "user_id", "value": "u-123456"}, {"namespace": "device_id", "value": "d-987654"},
                   {"namespace": "phone", "value": "+14155550123"}, {"namespace": "crm_id", "value": "C-10001"},
                   {"namespace": "loyalty_id", "value": "L-555"}]}""");

        assertThat(new EnrichedFormat().line(page)).contains("page", "Checkout").endsWith("phone:+14***23 +2");
    }

    @Test
    void deadLetterLineShowsReasonSourceAndPayloadPreview() throws Exception {
        JsonNode rejected = JSON.readTree("""
                {"reason": "bad_json", "detail": "Unexpected end-of-input",
                 "source": {"topic": "cdp.events.json", "partition": 2, "offset": 42},
                 "payload": "{\\"type\\": \\"track\\",\\n \\"event\\": ", "rejectedAt": "2026-11-23T10:00:00Z"}""");
        String line = new DeadLetterFormat().line(rejected);

        assertThat(line).startsWith("bad_json")
                .contains("cdp.events.json:2@42", "{\"type\": \"track\",\\n \"event\": ");
        assertThat(line).doesNotContain("\n");
    }

    @Test
    void deadLetterLineShowsBinaryPayloadsAsBase64() throws Exception {
        JsonNode rejected = JSON.readTree("""
                {"reason": "bad_utf8", "source": {"topic": "cdp.events.json", "partition": 0, "offset": 7},
                 "payloadBase64": "%s"}""".formatted("A".repeat(200)));
        String line = new DeadLetterFormat().line(rejected);

        assertThat(line).contains("bad_utf8", "cdp.events.json:0@7", "base64:AAAA");
        assertThat(line.substring(line.indexOf("base64:"))).hasSize(DeadLetterFormat.PAYLOAD_PREVIEW);
    }
}
