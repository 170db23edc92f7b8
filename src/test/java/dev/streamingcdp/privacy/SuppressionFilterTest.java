package dev.streamingcdp.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.privacy.avro.SuppressionEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The suppression filter in front of identity: additions, removals, expiry, and what the DLQ gets. */
class SuppressionFilterTest {

    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Suppressions SUPPRESSIONS =
            new Suppressions("a-test-salt-of-some-length", RETENTION, Duration.ofMinutes(5));
    private static final Identifier EMAIL = new Identifier("email", "jane@example.com");
    private static final Identifier COOKIE = new Identifier("anonymous_id", "cookie-1");
    private static final Identifier OTHER = new Identifier("user_id", "bob");

    @Test
    void anEventCarryingAnySuppressedIdentifierGoesToTheDlqWithoutItsPayload() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1_000);
            h.processElement(event("m1", COOKIE, EMAIL), 0);
            h.processBroadcastElement(SUPPRESSIONS.add("r-1", 1_000, List.of(EMAIL)), 0);
            h.processElement(event("m2", COOKIE, EMAIL), 0);
            h.processElement(event("m3", EMAIL), 0);
            h.processElement(event("m4", COOKIE, OTHER), 0);

            assertThat(h.extractOutputValues()).extracting(CdpEvent::getMessageId).containsExactly("m1", "m4");
            assertThat(deadLetters(h)).hasSize(2).allSatisfy(d -> {
                assertThat(d.getReason()).isEqualTo("suppressed");
                assertThat(d.getDetail()).contains("email").contains("r-1").doesNotContain("jane");
                assertThat(d.getPayload().remaining()).isZero();
            });
            assertThat(deadLetters(h)).extracting(d -> d.getSource().getOffset()).containsExactly(2L, 3L);
            assertThat(list(h)).containsOnlyKeys(SUPPRESSIONS.hash(EMAIL))
                    .allSatisfy((hash, e) -> assertThat(e).isEqualTo(
                            new SuppressionEntry("r-1", 1_000L, 1_000 + RETENTION.toMillis())));
        }
    }

    @Test
    void unsuppressLiftsItAndAnEntryLapsesAfterTheRetention() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1_000);
            h.processBroadcastElement(SUPPRESSIONS.add("r-1", 1_000, List.of(EMAIL, COOKIE)), 0);
            h.processBroadcastElement(SUPPRESSIONS.remove("r-2", 2_000, List.of(EMAIL)), 0);
            h.processElement(event("m1", EMAIL), 0);
            h.processElement(event("m2", COOKIE), 0);
            assertThat(h.extractOutputValues()).extracting(CdpEvent::getMessageId).containsExactly("m1");

            long lapse = 1_000 + RETENTION.toMillis();
            h.setProcessingTime(lapse - 1);
            h.processElement(event("m3", COOKIE), 0);
            h.setProcessingTime(lapse);
            h.processElement(event("m4", COOKIE), 0);
            assertThat(h.extractOutputValues()).extracting(CdpEvent::getMessageId).containsExactly("m1", "m4");
            assertThat(list(h)).as("lapsed, removed at the next change").containsOnlyKeys(SUPPRESSIONS.hash(COOKIE));

            h.processBroadcastElement(SUPPRESSIONS.add("r-3", lapse, List.of(OTHER)), 0);
            assertThat(list(h)).containsOnlyKeys(SUPPRESSIONS.hash(OTHER));
        }
    }

    @Test
    void aLaterRequestExtendsAnEntryButAnOlderOneNeverShortensIt() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(10_000);
            h.processBroadcastElement(SUPPRESSIONS.add("r-new", 5_000, List.of(EMAIL)), 0);
            h.processBroadcastElement(SUPPRESSIONS.add("r-old", 1_000, List.of(EMAIL)), 0);
            assertThat(list(h).get(SUPPRESSIONS.hash(EMAIL)).getRequestId()).isEqualTo("r-new");
            // a request so old that it has lapsed already adds nothing
            h.setProcessingTime(5_000 + RETENTION.toMillis() + 1);
            h.processBroadcastElement(SUPPRESSIONS.add("r-ancient", 0, List.of(COOKIE)), 0);
            assertThat(list(h)).isEmpty();
        }
    }

    @Test
    void theListSurvivesASnapshotAndRestore() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.setProcessingTime(1_000);
            h.processBroadcastElement(SUPPRESSIONS.add("r-1", 1_000, List.of(EMAIL)), 0);
            snapshot = h.snapshot(1, 2);
        }
        try (var h = new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(
                new SuppressionFilter(SUPPRESSIONS), List.of(SuppressionFilter.SUPPRESSED)), 1, 1, 0)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(2_000);
            h.processElement(event("m1", EMAIL), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(deadLetters(h)).singleElement().satisfies(d -> assertThat(d.getReason()).isEqualTo("suppressed"));
        }
    }

    private static BroadcastOperatorTestHarness<CdpEvent, dev.streamingcdp.privacy.avro.SuppressionUpdate, CdpEvent>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new SuppressionFilter(SUPPRESSIONS),
                SuppressionFilter.SUPPRESSED);
    }

    private static Map<String, SuppressionEntry> list(BroadcastOperatorTestHarness<?, ?, ?> h) throws Exception {
        Map<String, SuppressionEntry> entries = new HashMap<>();
        h.getBroadcastState(SuppressionFilter.SUPPRESSED).entries().forEach(e -> entries.put(e.getKey(), e.getValue()));
        return entries;
    }

    private static List<DeadLetter> deadLetters(BroadcastOperatorTestHarness<?, ?, ?> h) {
        var records = h.getSideOutput(DeadLetters.TAG);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private static CdpEvent event(String messageId, Identifier... ids) {
        return CdpEvent.newBuilder().setMessageId(messageId).setType("page").setEventTime(Instant.EPOCH)
                .setIdentifiers(List.of(ids)).setTraits(new HashMap<>()).setProperties(new HashMap<>())
                .setConsent(new HashMap<>())
                .setSource(new SourceRef("events", 0, Long.parseLong(messageId.substring(1)), 0L)).build();
    }
}
