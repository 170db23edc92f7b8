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
    @Test
    void segmentEntryShowsSegmentShortProfileTimeSequenceTriggerAndFacts() throws Exception {
        JsonNode entered = JSON.readTree("""
                {"type": "segment.entered", "segment": {"id": "retention-offer", "version": 1},
                 "profileId": "p-1a2b3c4d5e6f708192a3b4c5", "occurredAt": "2026-11-23T10:02:03.250Z",
                 "emittedAt": "2026-11-23T10:02:04Z", "sequence": 1, "destinations": ["web-personalisation"],
                 "consent": "personalisation",
                 "reason": {"trigger": "event", "version": 1, "facts": [
                   {"condition": "trait intent_to_cancel equals true", "held": true, "value": true},
                   {"condition": "event page at least 1 times within 1h", "held": true, "value": 2}]}}""");
        SegmentChangeFormat format = new SegmentChangeFormat();

        assertThat(format.category(entered)).isEqualTo("retention-offer.entered");
        assertThat(format.line(entered)).isEqualTo("ENTERED  retention-offer v1" + " ".repeat(9)
                + "p-1a2b3c...  at 10:02:03Z  seq 1  on event  (trait intent_to_cancel equals true = true; "
                + "event page at least 1 times within 1h = 2)");
        assertThat(format.line(entered)).doesNotContain("4d5e6f");
    }

    @Test
    void segmentExitMarksTheFactsThatFailedAndShowsASequenceTimeAsTimeOfDay() throws Exception {
        JsonNode exited = JSON.readTree("""
                {"type": "segment.exited", "segment": {"id": "prospecting-ads", "version": 2},
                 "profileId": "p-ffeeddccbbaa998877665544", "occurredAt": "2026-11-23T11:00:00Z", "sequence": 2,
                 "reason": {"trigger": "window", "version": 2, "facts": [
                   {"condition": "not event Order Completed at least 1 times ever", "held": false, "value": 1},
                   {"condition": "Product Added and no Order Completed within 1h", "held": true,
                    "value": "2026-11-23T09:59:00Z"}]}}""");
        String line = new SegmentChangeFormat().line(exited);

        assertThat(line).startsWith("EXITED   prospecting-ads v2").contains("p-ffeedd...", "at 11:00:00Z", "seq 2",
                "as time passed", "not event Order Completed at least 1 times ever = 1 (not met)",
                "Product Added and no Order Completed within 1h = 09:59:00Z)");
        assertThat(new SegmentChangeFormat().category(exited)).isEqualTo("prospecting-ads.exited");
    }

    @Test
    void segmentExitOfAnAbsorbedProfileNamesTheSurvivor() throws Exception {
        JsonNode merged = JSON.readTree("""
                {"type": "segment.exited", "segment": {"id": "cart-abandoners", "version": 1},
                 "profileId": "p-000000000000000000000001", "occurredAt": "2026-11-23T10:00:00Z", "sequence": 4,
                 "reason": {"trigger": "profile_merged", "version": 1,
                            "survivorId": "p-999999999999999999999999"}}""");

        assertThat(new SegmentChangeFormat().line(merged)).endsWith("seq 4  merged into p-999999...");
    }

    @Test
    void segmentFactValuesAreMaskedUnlessTheConditionNamesThem() throws Exception {
        JsonNode entered = JSON.readTree("""
                {"type": "segment.entered", "segment": {"id": "gmail-gold", "version": 1}, "profileId": "p-1",
                 "occurredAt": "2026-11-23T10:00:00Z", "sequence": 1, "reason": {"trigger": "merge", "facts": [
                   {"condition": "trait email contains @gmail.com", "held": true, "value": "jane.doe@gmail.com"},
                   {"condition": "trait plan in [gold, platinum]", "held": true, "value": "gold"}]}}""");
        String line = new SegmentChangeFormat().line(entered);

        assertThat(line).contains("p-1 ", "after a merge", "trait email contains @gmail.com = jan***@gmail.com",
                "trait plan in [gold, platinum] = gold").doesNotContain("jane.doe");
        assertThat(SegmentChangeFormat.value("trait city equals Berlin", JSON.readTree("\"Hamburg\"")))
                .isEqualTo("Ham***");
        assertThat(SegmentChangeFormat.value("trait city equals Berlin", JSON.readTree("\"Berlin\"")))
                .isEqualTo("Berlin");
        assertThat(SegmentChangeFormat.value("trait phone exists", JSON.readTree("\"+14155550123\"")))
                .isEqualTo("+14***23");
        assertThat(SegmentChangeFormat.value("trait nickname exists", JSON.readTree("null"))).isEqualTo("none");
        assertThat(SegmentChangeFormat.value("computed lifetime_revenue greater than 500", JSON.readTree("612.4")))
                .isEqualTo("612.4");
    }

    @Test
    void segmentLinesSurviveMissingFieldsAndControlCharacters() throws Exception {
        JsonNode odd = JSON.readTree("""
                {"type": "segment.entered", "segment": {"id": "x\\u001b[31m"}, "reason": {"facts": [
                   {"condition": "trait a equals \\n", "value": 1}]}}""");
        String line = new SegmentChangeFormat().line(odd);

        assertThat(line).startsWith("ENTERED  x\\u001b[31m v?").contains(" ?  ", "seq ?", "trait a equals \\n = 1");
        assertThat(line).doesNotContain("\n", "\u001b");
        assertThat(new SegmentChangeFormat().category(JSON.readTree("{}"))).isEqualTo("?.?");
    }
}
