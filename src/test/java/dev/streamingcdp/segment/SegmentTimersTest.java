package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.profile.ProfileFunction;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.profile.ProfileLogic;
import dev.streamingcdp.segment.avro.SegmentControl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
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

    private static List<SegmentChange> changes(KeyedBroadcastOperatorTestHarness<String, ProfileCommand,
            SegmentControl, ProfileUpdate> h, String segment) {
        var out = h.getSideOutput(ProfileFunction.SEGMENT_CHANGES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue)
                .filter(c -> c.getSegmentId().equals(segment)).toList();
    }

    private static ProfileCommand at(CdpEvent e) {
        return Commands.toProfile(PROFILE, new EventAtProfile(e, USER, 0));
    }

    private static CdpEvent track(String messageId, String event, Instant at, Map<String, Object> properties) {
        return CdpEvent.newBuilder().setMessageId(messageId).setType("track").setEvent(event).setEventTime(at)
                .setIdentifiers(List.of(USER)).setTraits(new HashMap<>()).setProperties(new HashMap<>(properties))
                .setConsent(new HashMap<>()).setSource(new SourceRef("t", 0, 0L)).build();
    }

    private static KeyedBroadcastOperatorTestHarness<String, ProfileCommand, SegmentControl, ProfileUpdate> harness()
            throws Exception {
        Duration ttl = Duration.ofDays(30);
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new ProfileFunction(IdentityRules.none(), new ProfileLogic(new JobDefinition.Profiles(null, null, ttl)),
                        ttl, new ProfileSegments(DEMO, Duration.ofSeconds(1))),
                ProfileCommand::getProfileId, Types.STRING, ProfileFunction.DEFINITIONS);
    }
}
