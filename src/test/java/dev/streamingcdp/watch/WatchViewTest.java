package dev.streamingcdp.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.kafka.TopicRegistry.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchViewTest {

    private static final long T0 = 1_800_000_000_000L;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final WatchView view = new WatchView(new PrintStream(buffer, true, StandardCharsets.UTF_8),
            List.of(Role.ENRICHED, Role.DEAD_LETTER), 5, T0);

    @Test
    void throttlesLinesPerRoleAndReportsTheRestWhenTheSecondIsOver() {
        for (int i = 0; i < 8; i++) {
            view.record(Role.ENRICHED, event("track", "Product Added"), T0 + 10 * i);
        }
        view.record(Role.DEAD_LETTER, rejected("bad_json"), T0 + 100); // its own budget

        view.tick(T0 + 999);
        assertThat(lines()).filteredOn(l -> l.startsWith("EVENT")).hasSize(5);
        assertThat(output()).doesNotContain("more");

        view.tick(T0 + 1000);
        assertThat(lines()).filteredOn(l -> l.startsWith("EVENT")).hasSize(6).last().isEqualTo("EVENT (+3 more)");
        assertThat(lines()).filteredOn(l -> l.startsWith("DLQ")).hasSize(1);

        view.tick(T0 + 2000);
        assertThat(output()).containsOnlyOnce("more");
    }

    @Test
    void aNewSecondStartsANewBudget() {
        for (int i = 0; i < 6; i++) {
            view.record(Role.ENRICHED, event("track", "Product Added"), T0);
        }
        view.record(Role.ENRICHED, event("identify", null), T0 + 1500);

        assertThat(lines()).filteredOn(l -> l.startsWith("EVENT")).hasSize(7)
                .element(5).isEqualTo("EVENT (+1 more)");
        assertThat(lines().get(6)).contains("identify");
    }

    @Test
    void summaryCountsEveryRecordByRoleAndCategoryIncludingThrottledOnes() {
        for (int i = 0; i < 7; i++) {
            view.record(Role.ENRICHED, event("track", "Product Added"), T0 + i);
        }
        view.record(Role.ENRICHED, event("identify", null), T0 + 10);
        view.record(Role.ENRICHED, event("page", null), T0 + 10);
        view.record(Role.DEAD_LETTER, rejected("bad_json"), T0 + 10);
        view.record(Role.DEAD_LETTER, rejected("too_large"), T0 + 10);
        view.record(Role.DEAD_LETTER, rejected("bad_json"), T0 + 10);

        view.summary(T0 + 2000);
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches(
                "EVENT total 9 +4\\.5/s +track=7 identify=1 page=1"));
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches("DLQ +total 3 +1\\.5/s +bad_json=2 too_large=1"));

        buffer.reset();
        view.summary(T0 + 4000); // the rate covers only the time since the last summary
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches("EVENT total 9 +0\\.0/s .*"));
    }

    @Test
    void finishReportsHeldBackLinesAndALastSummary() {
        for (int i = 0; i < 7; i++) {
            view.record(Role.DEAD_LETTER, rejected("missing_field"), T0);
        }
        view.finish(T0 + 200);

        assertThat(output()).contains("DLQ   (+2 more)");
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches("DLQ +total 7 .* missing_field=7"));
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches("EVENT total 0 .*"));
    }

    @Test
    void tombstonesAndUnreadableValuesAreShownAndCountedNotDropped() {
        view.record(Role.ENRICHED, null, T0);
        view.record(Role.ENRICHED, "not json\u0007".getBytes(StandardCharsets.UTF_8), T0);
        view.summary(T0 + 1000);

        assertThat(lines()).contains("EVENT (tombstone)", "EVENT (unreadable) not json\\u0007");
        assertThat(output()).contains("(tombstone)=1", "(unreadable)=1");
    }

    private List<String> lines() {
        return output().lines().toList();
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static byte[] event(String type, String name) {
        String event = name == null ? "null" : "\"" + name + "\"";
        return ("{\"messageId\": \"m\", \"type\": \"" + type + "\", \"eventTime\": \"2026-11-23T10:00:00Z\", "
                + "\"event\": " + event + ", \"channel\": \"browser\", "
                + "\"identifiers\": [{\"namespace\": \"email\", \"value\": \"jane@example.com\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] rejected(String reason) {
        return ("{\"reason\": \"" + reason + "\", \"source\": {\"topic\": \"cdp.events.json\", \"partition\": 1, "
                + "\"offset\": 9}, \"payload\": \"{oops\"}").getBytes(StandardCharsets.UTF_8);
    }
}
