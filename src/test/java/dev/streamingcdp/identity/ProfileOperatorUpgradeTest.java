package dev.streamingcdp.identity;

import static dev.streamingcdp.identity.HarnessSupport.event;
import static dev.streamingcdp.identity.HarnessSupport.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.avro.SegmentState;
import dev.streamingcdp.testing.ProfileHarness;
import dev.streamingcdp.testing.ProfileTestHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * The profile operator of the release before the write-behind cache (a keyed broadcast function, 2026-12-07) wrote
 * {@code snapshots/profile-unify-2026-12-07.snapshot} in Flink's harness: a definition pushed at run time, a user in
 * vip with a window timer, an anonymous profile with its expiry timer, and a cookie whose
 * merge offer was out. This release restores all of it: keyed state, broadcast state and both kinds of timers.
 */
class ProfileOperatorUpgradeTest {

    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final Identifier USER = id("user_id", "u-1");
    private static final Identifier COOKIE = id("anonymous_id", "c-1");
    private static final Identifier OFFERING = id("anonymous_id", "c-2");

    @Test
    void aSnapshotOfThePreviousReleaseRestores() throws Exception {
        ProfileOperator operator = ProfileHarness.operator(IdentityRules.none(),
                SegmentCatalog.load(Path.of("jobs/retail-demo")), Duration.ofDays(30), Suppressions.defaults(),
                ProfileHarness.CACHE);
        try (ProfileTestHarness h = new ProfileTestHarness(operator, true)) {
            h.setup();
            h.initializeState(OperatorSnapshotUtil.readStateHandle(
                    Path.of("src/test/resources/snapshots/profile-unify-2026-12-07.snapshot").toString()));
            h.open();

            ProfileState user = HarnessSupport.state(h, ProfileId.of(USER), ProfileOperator.PROFILE);
            assertThat(user.getEventCounts()).containsEntry("identify", 1L).containsEntry("page", 1L);
            SegmentState memberships = HarnessSupport.state(h, ProfileId.of(USER), ProfileOperator.SEGMENTS);
            assertThat(memberships.getMemberships()).containsKey("vip");
            long lapse = T.plusSeconds(3605).toEpochMilli(); // her page view leaves the 1h window of a segment
            assertThat(memberships.getTimerAt()).isEqualTo(lapse);

            // the offer that was out still holds the cookie's events back
            h.processElement(at(OFFERING, event("m6", "page", T.plusSeconds(20), OFFERING)), 20);
            assertThat(HarnessSupport.state(h, ProfileId.of(OFFERING), ProfileOperator.PROFILE).getEventCounts())
                    .containsEntry("page", 1L);

            // the definition pushed at run time (broadcast state) still runs
            Identifier gold = id("user_id", "u-2");
            CdpEvent identify = event("m7", "identify", T.plusSeconds(21), gold);
            identify.getTraits().put("tier", "gold");
            h.processElement(at(gold, identify), 21);
            assertThat(changes(h)).contains("vip ENTERED " + ProfileId.of(gold));

            // the restored event-time timer fires when the window lapses
            h.watermark(lapse);
            assertThat(HarnessSupport.state(h, ProfileId.of(USER), ProfileOperator.SEGMENTS).getTimerAt())
                    .isNotEqualTo(lapse);

            // the anonymous profile's expiry timer (processing time) restored too
            h.setProcessingTime(Duration.ofDays(31).toMillis());
            assertThat(h.extractOutputValues()).filteredOn(u -> u.getProfileId().equals(ProfileId.of(COOKIE)))
                    .last().extracting(ProfileUpdate::getState).isNull();
        }
    }

    private static List<String> changes(ProfileTestHarness h) {
        return ProfileHarness.sideOutput(h, ProfileOperator.SEGMENT_CHANGES).stream()
                .map((SegmentChange c) -> c.getSegmentId() + " " + c.getType() + " " + c.getProfileId()).toList();
    }

    private static ProfileCommand at(Identifier label, CdpEvent e) {
        return new ProfileCommand(ProfileId.of(label), new EventAtProfile(e, label, 0));
    }
}
