package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.testing.ProfileHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import dev.streamingcdp.testing.ProfileTestHarness;
import org.junit.jupiter.api.Test;

/** The profile operator's segment timers: windows lapse by event time, one coalesced timer per profile. */
class SegmentTimersTest {

    private static final Identifier USER = new Identifier("user_id", "u-1");
    private static final String PROFILE = ProfileId.of(USER);
    private static final Instant T = Instant.parse("2026-11-02T09:00:00Z");
    private static final SegmentCatalog DEMO = SegmentCatalog.load(Path.of("jobs/retail-demo"));

    @Test
    void runningShoesEntersOnTheThirdViewAndExitsWhenTheFirstLeavesTheWeek() throws Exception {
        try (var h = harness()) {
            for (int day = 0; day < 3; day++) {
                h.processElement(at(track("v" + day, "Product Viewed", T.plus(Duration.ofDays(day)),
                        Map.of("category", "running-shoes"))), 0);
            }
            assertThat(changes(h, "running-shoes-interest")).singleElement().satisfies(c -> {
                assertThat(c.getType()).isEqualTo("ENTERED");
                assertThat(c.getOccurredAt()).isEqualTo(T.plus(Duration.ofDays(2)).toEpochMilli());
                assertThat(c.getSequence()).isEqualTo(1);
            });
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.watermark(T.plus(Duration.ofDays(7)).toEpochMilli() - 1);
            assertThat(changes(h, "running-shoes-interest")).hasSize(1);
            h.watermark(T.plus(Duration.ofDays(7)).toEpochMilli());
            assertThat(changes(h, "running-shoes-interest")).hasSize(2).last().satisfies(c -> {
                assertThat(c.getType()).isEqualTo("EXITED");
                assertThat(c.getOccurredAt()).isEqualTo(T.plus(Duration.ofDays(7)).toEpochMilli());
                assertThat(c.getSequence()).isEqualTo(2);
                assertThat(c.getReason()).contains("\"trigger\":\"window\"").contains("\"value\":2");
            });
        }
    }

    @Test
    void cartAbandonerEntersWhenTheHourPassesAndLeavesOnOrder() throws Exception {
        try (var h = harness()) {
            h.processElement(at(track("a1", "Product Added", T, Map.of())), 0);
            h.watermark(T.plus(Duration.ofMinutes(59)).toEpochMilli());
            assertThat(changes(h, "cart-abandoners")).isEmpty();
            h.watermark(T.plus(Duration.ofMinutes(60)).toEpochMilli());
            assertThat(changes(h, "cart-abandoners")).singleElement()
                    .satisfies(c -> assertThat(c.getType()).isEqualTo("ENTERED"));
            h.processElement(at(track("o1", "Order Completed", T.plus(Duration.ofHours(2)), Map.of())), 0);
            assertThat(changes(h, "cart-abandoners")).extracting(SegmentChange::getType)
                    .containsExactly("ENTERED", "EXITED");
        }
    }

    @Test
    void windowsLapsingCloseTogetherShareOneTimerAndOldOccurrencesAreDropped() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 3; i++) { // three views within one second: their windows end within one second
                h.processElement(at(track("v" + i, "Product Viewed", T.plusMillis(300L * i),
                        Map.of("category", "running-shoes"))), 0);
                assertThat(h.numEventTimeTimers()).isEqualTo(1);
            }
            h.processElement(at(track("v9", "Product Viewed", T.plus(Duration.ofDays(1)),
                    Map.of("category", "running-shoes"))), 0);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.watermark(T.plus(Duration.ofDays(7)).plusSeconds(1).toEpochMilli());
            assertThat(changes(h, "running-shoes-interest")).extracting(SegmentChange::getType)
                    .containsExactly("ENTERED", "EXITED");
            assertThat(occurrences(h)).isEqualTo(1); // the day-1 view is all the window still needs
            h.watermark(T.plus(Duration.ofDays(8)).plusSeconds(1).toEpochMilli());
            assertThat(occurrences(h)).isZero();
            assertThat(h.numEventTimeTimers()).isEqualTo(1); // prospecting-ads: views in the last 30 days

            h.watermark(T.plus(Duration.ofDays(31)).toEpochMilli());
            assertThat(changes(h, "prospecting-ads")).extracting(SegmentChange::getType)
                    .containsExactly("ENTERED", "EXITED");
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(state(h, ProfileOperator.PROFILE).getFacts().values())
                    .allSatisfy(f -> assertThat(f.getOccurrences()).isEmpty());
        }
    }

    /** Occurrences kept for the running-shoes window (7 days of category running-shoes views). */
    private static int occurrences(ProfileTestHarness h) throws Exception {
        SegmentDefinition shoes = DEMO.segment("running-shoes-interest").orElseThrow();
        Condition.Event view = (Condition.Event) shoes.condition();
        FactSpec spec = FactSpec.of(view.matcher(), null, view.within());
        ProfileState p = state(h, ProfileOperator.PROFILE);
        var fact = p.getFacts().get(spec.key());
        return fact == null ? 0 : fact.getOccurrences().size();
    }

    static <T> T state(ProfileTestHarness h, ValueStateDescriptor<T> descriptor)
            throws Exception {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) h.getOperator();
        operator.setCurrentKey(PROFILE);
        return operator.getKeyedStateBackend()
                .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor).value();
    }

    private static List<SegmentChange> changes(ProfileTestHarness h, String segment) {
        return ProfileHarness.sideOutput(h, ProfileOperator.SEGMENT_CHANGES).stream()
                .filter(c -> c.getSegmentId().equals(segment)).toList();
    }

    private static ProfileCommand at(CdpEvent e) {
        return Commands.toProfile(PROFILE, new EventAtProfile(e, USER, 0));
    }

    private static CdpEvent track(String messageId, String event, Instant at, Map<String, Object> properties) {
        return CdpEvent.newBuilder().setMessageId(messageId).setType("track").setEvent(event).setEventTime(at)
                .setIdentifiers(List.of(USER)).setTraits(new HashMap<>()).setProperties(new HashMap<>(properties))
                .setConsent(new HashMap<>()).setSource(new SourceRef("t", 0, 0L, 0L)).build();
    }

    private static ProfileTestHarness harness()
            throws Exception {
        return ProfileHarness.of(IdentityRules.none(), DEMO, Duration.ofDays(30));
    }
}
