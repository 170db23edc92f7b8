package dev.streamingcdp.segment;

import static dev.streamingcdp.segment.BackfillRun.NO_SEGMENTS;
import static dev.streamingcdp.segment.BackfillRun.profileId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.ingest.EventType;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.segment.BackfillRun.Barrier;
import dev.streamingcdp.segment.BackfillRun.Checkpoint;
import dev.streamingcdp.segment.BackfillRun.Control;
import dev.streamingcdp.segment.BackfillRun.Crash;
import dev.streamingcdp.segment.BackfillRun.Event;
import dev.streamingcdp.segment.BackfillRun.Slice;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.testing.ProfileHarness;
import dev.streamingcdp.testing.ProfileTestHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A definition changed at run time reaches the existing profiles in slices, with events handled in between. */
class SegmentBackfillTest {

    private static final Condition GOLD = new Condition.Trait("tier", new Comparison.Equals("gold"));
    private static final Condition GOLD_OR_SILVER =
            new Condition.Trait("tier", new Comparison.In(List.of("gold", "silver")));

    @Test
    void aNewSegmentReachesTheProfilesInSlicesAndAnEventBetweenSlicesEntersHerOnce() throws Exception {
        try (BackfillRun run = new BackfillRun(NO_SEGMENTS, 3, 1000, false, false)) {
            for (int p = 0; p < 10; p++) {
                run.apply(new Event(p + 1, p, "gold"));
            }
            run.apply(new Barrier());
            run.apply(new Control("vip", 1, GOLD));
            assertThat(run.emitted()).as("the first slice, at once").hasSize(3)
                    .allSatisfy(c -> assertThat(c.getReason()).contains("\"trigger\":\"definition\""));

            run.apply(new Event(11, 8, "gold")); // not visited yet: her event evaluates the new segment
            assertThat(run.emitted()).singleElement().satisfies(c -> {
                assertThat(c.getProfileId()).isEqualTo(profileId(8));
                assertThat(c.getReason()).contains("\"trigger\":\"event\"");
            });

            List<SegmentChange> rest = new ArrayList<>();
            int slices = 0;
            for (; slices < 10; slices++) {
                run.apply(new Slice());
                List<SegmentChange> slice = run.emitted();
                assertThat(slice).as("slice %d", slices + 1).hasSizeLessThanOrEqualTo(3);
                rest.addAll(slice);
            }
            assertThat(rest).as("the other six, each once, none for her again")
                    .extracting(SegmentChange::getProfileId)
                    .containsExactlyInAnyOrderElementsOf(IntStream.of(3, 4, 5, 6, 7, 9)
                            .mapToObj(BackfillRun::profileId).toList());
            assertThat(run.memberships(8)).containsEntry("vip", true);
        }
    }

    @Test
    void aSecondChangeRestartsThePassAndASegmentDeletedDuringItsBackfillExitsOnlyWhoEntered() throws Exception {
        try (BackfillRun run = new BackfillRun(NO_SEGMENTS, 2, 1000, false, true)) {
            for (int p = 0; p < 6; p++) {
                run.apply(new Event(p + 1, p, p % 2 == 0 ? "gold" : "silver"));
            }
            run.apply(new Control("vip", 1, GOLD));
            assertThat(describe(run.emitted())).as("the first slice: u-0, u-1").containsExactly("u-0 ENTERED vip v1 #1");
            run.apply(new Control("vip", 2, GOLD_OR_SILVER)); // the pass starts again with version 2
            drain(run);
            assertThat(describe(run.emitted())).as("u-0 is in already").containsExactlyInAnyOrder(
                    "u-1 ENTERED vip v2 #1", "u-2 ENTERED vip v2 #1", "u-3 ENTERED vip v2 #1",
                    "u-4 ENTERED vip v2 #1", "u-5 ENTERED vip v2 #1");

            run.apply(new Control("big", 1, GOLD));
            List<String> entered = describe(run.emitted());
            assertThat(entered).as("one slice: at most two of the three gold profiles").hasSizeBetween(1, 2);
            run.apply(new Control("big", 2, null)); // deleted before its backfill ended
            drain(run);
            assertThat(describe(run.emitted())).as("only who entered exits").containsExactlyInAnyOrderElementsOf(
                    entered.stream().map(e -> e.replace("ENTERED", "EXITED").replace("#1", "#2")).toList());
            for (int p = 0; p < 6; p++) {
                assertThat(run.memberships(p)).containsEntry("vip", true).doesNotContainEntry("big", true);
            }
        }
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void aCrashMidBackfillRestoresThePendingSegmentAndEveryProfileEntersExactlyOnce(boolean rocksDb)
            throws Exception {
        try (BackfillRun run = new BackfillRun(NO_SEGMENTS, 4, 5, rocksDb, false)) {
            for (int p = 0; p < 20; p++) {
                run.apply(new Event(p + 1, p, "gold"));
            }
            run.apply(new Barrier());
            run.apply(new Control("vip", 1, GOLD));
            run.apply(new Slice());
            run.apply(new Checkpoint()); // 8 of 20 entered, the segment still pending
            assertThat(run.committed()).hasSize(8);
            run.apply(new Slice());
            run.apply(new Event(21, 25, "gold")); // a new profile: her first event enters her
            run.apply(new Crash()); // the 4 of the last slice are dropped; the restored pass starts over
            run.finish(15);
            assertThat(run.committed()).extracting(SegmentChange::getProfileId)
                    .containsExactlyInAnyOrderElementsOf(IntStream.concat(IntStream.range(0, 20), IntStream.of(25))
                            .mapToObj(BackfillRun::profileId).toList());
            assertThat(run.committed()).allSatisfy(c -> assertThat(c.getSequence()).isEqualTo(1));

            run.apply(new Crash()); // restored after the pass: nothing left to do
            run.finish(5);
            assertThat(run.committed()).hasSize(21);
        }
    }

    /** A sequence arrives at run time: each profile visited by a slice gets the event-time timer of its window. */
    @Test
    void aSegmentWithAWindowGetsItsTimersFromTheSlices() throws Exception {
        EventMatcher viewed = new EventMatcher(EventType.TRACK, "Product Viewed", Map.of());
        EventMatcher ordered = new EventMatcher(EventType.TRACK, "Order Completed", Map.of());
        // a catalog segment that keeps both facts from the start and sets no timers
        SegmentCatalog catalog = new SegmentCatalog(List.of(new SegmentDefinition("keep", "keep", 1, null,
                List.of("dest"), null, new Condition.Any(List.of(new Condition.Event(viewed, 1000, null, null),
                        new Condition.Event(ordered, 1000, null, null))))), List.of());
        long t = BackfillRun.T.toEpochMilli();
        try (ProfileTestHarness h = ProfileHarness.of(BackfillRun.operator(catalog, 1, 1000), true)) {
            for (int p = 0; p < 4; p++) {
                h.processElement(track(p, "Product Viewed", 0), t);
            }
            h.watermark(t + Duration.ofMinutes(1).toMillis());
            SegmentDefinition abandoned = new SegmentDefinition("abandoned", "abandoned", 1, null, List.of("dest"),
                    null, new Condition.Sequence(viewed, ordered, Duration.ofMinutes(30)));
            h.processBroadcastElement(new SegmentControl("abandoned", DefinitionJsonWriter.json(abandoned)), 0);
            assertThat(h.numEventTimeTimers()).as("the first slice, one profile").isEqualTo(1);
            for (int i = 1; i <= 3; i++) {
                h.setProcessingTime(i * 100L);
            }
            assertThat(h.numEventTimeTimers()).as("every profile after four slices").isEqualTo(4);

            h.processElement(track(1, "Order Completed", 5), t + Duration.ofMinutes(5).toMillis());
            h.watermark(t + Duration.ofMinutes(32).toMillis());
            List<SegmentChange> changes = ProfileHarness.sideOutput(h, ProfileOperator.SEGMENT_CHANGES);
            assertThat(describe(changes)).containsExactlyInAnyOrder("u-0 ENTERED abandoned v1 #1",
                    "u-2 ENTERED abandoned v1 #1", "u-3 ENTERED abandoned v1 #1");
            assertThat(changes).allSatisfy(c -> assertThat(c.getReason()).contains("\"trigger\":\"window\""));
        }
    }

    private static void drain(BackfillRun run) throws Exception {
        for (int i = 0; i < 10; i++) {
            run.apply(new Slice());
        }
    }

    private static List<String> describe(List<SegmentChange> changes) {
        return changes.stream().map(c -> user(c.getProfileId()) + " " + c.getType() + " " + c.getSegmentId() + " v"
                + c.getVersion() + " #" + c.getSequence()).toList();
    }

    private static String user(String profileId) {
        for (int p = 0; p < 100; p++) {
            if (profileId(p).equals(profileId)) {
                return "u-" + p;
            }
        }
        return profileId;
    }

    private static ProfileCommand track(int profile, String name, int minutes) {
        CdpEvent e = CdpEvent.newBuilder().setMessageId("t-" + profile + "-" + name).setType("track").setEvent(name)
                .setEventTime(BackfillRun.T.plus(Duration.ofMinutes(minutes)))
                .setIdentifiers(List.of(BackfillRun.user(profile))).setTraits(new HashMap<>())
                .setProperties(new HashMap<>()).setConsent(new HashMap<>())
                .setSource(new SourceRef("t", 0, 0L, 0L)).build();
        return Commands.toProfile(profileId(profile), new EventAtProfile(e, BackfillRun.user(profile), 0));
    }
}
