package dev.streamingcdp.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.ActivationSerializer;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.activation.Destinations.Destination;
import dev.streamingcdp.activation.Destinations.Format;
import dev.streamingcdp.kafka.TopicRegistry.Role;
import dev.streamingcdp.model.ActivationRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchViewTest {

    private static final long T0 = 1_800_000_000_000L;

    private static final String ENRICHED = "enriched";
    private static final String DEAD_LETTER = "dlq";

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final WatchView view = new WatchView(new PrintStream(buffer, true, StandardCharsets.UTF_8),
            Map.of(ENRICHED, Role.ENRICHED, DEAD_LETTER, Role.DEAD_LETTER), new Destinations(List.of(), Map.of()),
            5, T0);

    @Test
    void throttlesLinesPerRoleAndReportsTheRestWhenTheSecondIsOver() {
        for (int i = 0; i < 8; i++) {
            view.record(ENRICHED, event("track", "Product Added"), T0 + 10 * i);
        }
        view.record(DEAD_LETTER, rejected("bad_json"), T0 + 100); // its own budget

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
            view.record(ENRICHED, event("track", "Product Added"), T0);
        }
        view.record(ENRICHED, event("identify", null), T0 + 1500);

        assertThat(lines()).filteredOn(l -> l.startsWith("EVENT")).hasSize(7)
                .element(5).isEqualTo("EVENT (+1 more)");
        assertThat(lines().get(6)).contains("identify");
    }

    @Test
    void summaryCountsEveryRecordByRoleAndCategoryIncludingThrottledOnes() {
        for (int i = 0; i < 7; i++) {
            view.record(ENRICHED, event("track", "Product Added"), T0 + i);
        }
        view.record(ENRICHED, event("identify", null), T0 + 10);
        view.record(ENRICHED, event("page", null), T0 + 10);
        view.record(DEAD_LETTER, rejected("bad_json"), T0 + 10);
        view.record(DEAD_LETTER, rejected("too_large"), T0 + 10);
        view.record(DEAD_LETTER, rejected("bad_json"), T0 + 10);

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
            view.record(DEAD_LETTER, rejected("missing_field"), T0);
        }
        view.finish(T0 + 200);

        assertThat(output()).contains("DLQ   (+2 more)");
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches("DLQ +total 7 .* missing_field=7"));
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches("EVENT total 0 .*"));
    }

    @Test
    void tombstonesAndUnreadableValuesAreShownAndCountedNotDropped() {
        view.record(ENRICHED, null, T0);
        view.record(ENRICHED, "not json\u0007".getBytes(StandardCharsets.UTF_8), T0);
        view.summary(T0 + 1000);

        assertThat(lines()).contains("EVENT (tombstone)", "EVENT (unreadable) not json\\u0007");
        assertThat(output()).contains("(tombstone)=1", "(unreadable)=1");
    }

    @Test
    void activationTopicsShareOneLineBudgetAndAreCountedPerDestinationAndDirection() {
        Destinations destinations = new Destinations(List.of(
                new Destination("email-marketing", "act.email", "marketing", Map.of(), Format.JSON, null),
                new Destination("ads-prospecting", "act.ads", "advertising", Map.of(), Format.AVRO, null)), Map.of());
        WatchView activation = new WatchView(new PrintStream(buffer, true, StandardCharsets.UTF_8),
                Map.of("act.email", Role.ACTIVATION, "act.ads", Role.ACTIVATION), destinations, 2, T0);
        ActivationRecord entered = new ActivationRecord("email-marketing", "segment.entered", "cart-abandoners", 1,
                "p-1", Map.of(), T0, 1L, "{\"trigger\": \"event\"}");
        ActivationSerializer serializer = new ActivationSerializer(destinations);
        activation.record("act.email", serializer.serialize(entered, null, null).value(), T0);
        activation.record("act.email", serializer.serialize(entered, null, null).value(), T0);
        ActivationRecord erased = new ActivationRecord("ads-prospecting", "profile.erased", null, null, "p-1",
                Map.of(), T0, 2L, "{\"trigger\": \"erased\"}");
        activation.record("act.ads", serializer.serialize(erased, null, null).value(), T0);
        activation.finish(T0 + 1000);

        assertThat(lines().subList(0, 3)).satisfiesExactly(
                l -> assertThat(l).startsWith("ACTIVATION email-marketing"),
                l -> assertThat(l).startsWith("ACTIVATION email-marketing"),
                l -> assertThat(l).isEqualTo("ACTIVATION (+1 more)"));
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches(
                "ACTIVATION total 3 +3\\.0/s +email-marketing\\.entered=2 ads-prospecting\\.erased=1"));
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
