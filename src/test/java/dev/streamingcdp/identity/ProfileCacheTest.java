package dev.streamingcdp.identity;

import static dev.streamingcdp.identity.HarnessSupport.event;
import static dev.streamingcdp.identity.HarnessSupport.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.ClaimGranted;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.MergeAnswer;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.ProfileHarness;
import dev.streamingcdp.testing.ProfileTestHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * The profile operator's write-behind cache: state and snapshots are written when it flushes (before a barrier, on
 * eviction), never lost across a checkpoint, and the compacted profile topic ends exactly as per-change snapshots
 * would leave it.
 */
class ProfileCacheTest {

    private static final Duration TTL = Duration.ofHours(1);
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final SegmentCatalog DEMO = SegmentCatalog.load(Path.of("jobs/retail-demo"));

    @Test
    void aProfileIsWrittenAndSnapshottedOncePerBarrier() throws Exception {
        Identifier cookie = id("anonymous_id", "c-1");
        String p = ProfileId.of(cookie);
        try (ProfileTestHarness h = harness(1000)) {
            for (int i = 0; i < 3; i++) {
                h.processElement(at(p, cookie, event("m" + i, "page", T.plusSeconds(i), cookie)), i);
            }
            assertThat(HarnessSupport.state(h, p, ProfileOperator.PROFILE)).as("no state write before the barrier")
                    .isNull();
            assertThat(h.extractOutputValues()).as("no snapshot before the barrier").isEmpty();

            h.barrier();
            assertThat(HarnessSupport.state(h, p, ProfileOperator.PROFILE).getEventCounts()).containsEntry("page", 3L);
            assertThat(h.extractOutputValues()).singleElement()
                    .satisfies(u -> assertThat(u.getState().getEventCounts()).containsEntry("page", 3L));

            h.barrier();
            assertThat(h.extractOutputValues()).as("nothing changed: nothing sent").hasSize(1);
            h.processElement(at(p, cookie, event("m9", "page", T.plusSeconds(9), cookie)), 9);
            h.barrier();
            assertThat(h.extractOutputValues()).hasSize(2).last()
                    .satisfies(u -> assertThat(u.getState().getEventCounts()).containsEntry("page", 4L));
        }
    }

    @Test
    void aDirtyProfileEvictedFromTheCacheIsWrittenFirst() throws Exception {
        try (ProfileTestHarness h = harness(2)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Identifier cookie = id("anonymous_id", "c-" + i);
                ids.add(ProfileId.of(cookie));
                h.processElement(at(ids.get(i), cookie, event("m" + i, "page", T, cookie)), i);
            }
            assertThat(HarnessSupport.state(h, ids.get(0), ProfileOperator.PROFILE)).isNotNull();
            assertThat(HarnessSupport.state(h, ids.get(1), ProfileOperator.PROFILE)).isNull();
            assertThat(h.extractOutputValues()).extracting(ProfileUpdate::getProfileId).containsExactly(ids.get(0));
        }
    }

    @Test
    void aCheckpointHoldsWhatChangedSinceTheLastFlush() throws Exception {
        Identifier cookie = id("anonymous_id", "c-1");
        String p = ProfileId.of(cookie);
        OperatorSubtaskState snapshot;
        try (ProfileTestHarness h = harness(1000)) {
            h.processElement(at(p, cookie, event("m1", "page", T, cookie)), 1);
            h.processElement(at(p, cookie, event("m2", "page", T, cookie)), 2);
            snapshot = h.snapshot(1, 3);
        }
        try (ProfileTestHarness restored = new ProfileTestHarness(operator(1000), false)) {
            restored.initializeState(snapshot);
            restored.open();
            ProfileState state = HarnessSupport.state(restored, p, ProfileOperator.PROFILE);
            assertThat(state.getEventCounts()).containsEntry("page", 2L);
        }
    }

    /**
     * Random traffic over a few profiles (events with traits, claims, conflicts that merge them, answers, anonymous
     * expiry, watermarks), once flushed after every step and once only at random barriers and evictions: the last
     * profile-topic record of every profile id is the same, and so is everything the operator sends at once.
     */
    @Test
    void coalescedSnapshotsEndAsPerChangeSnapshotsWould() throws Exception {
        for (long seed = 1; seed <= 40; seed++) {
            List<Step> steps = traffic(new Random(seed));
            try (ProfileTestHarness perChange = harness(1000, true);
                    ProfileTestHarness coalesced = harness(3 + (int) (seed % 5), false)) {
                Random barriers = new Random(-seed);
                for (Step s : steps) {
                    s.apply(perChange);
                    s.apply(coalesced);
                    if (barriers.nextInt(6) == 0) {
                        coalesced.barrier();
                    }
                }
                coalesced.barrier();
                assertThat(lastPerProfile(coalesced)).as("seed %d", seed).isEqualTo(lastPerProfile(perChange));
                for (var tag : List.of(ProfileOperator.FEEDBACK, ProfileOperator.SEGMENT_CHANGES,
                        ProfileOperator.ACTIVATION, ProfileOperator.REJECTED_LINKS)) {
                    assertThat(ProfileHarness.sideOutput(coalesced, tag)).as("seed %d, %s", seed, tag.getId())
                            .isEqualTo(ProfileHarness.sideOutput(perChange, tag));
                }
            }
        }
    }

    private interface Step {
        void apply(ProfileTestHarness h) throws Exception;
    }

    private static List<Step> traffic(Random random) {
        List<Identifier> users = new ArrayList<>();
        List<Identifier> cookies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add(id("user_id", "u-" + i));
            cookies.add(id("anonymous_id", "c-" + i));
        }
        List<Step> steps = new ArrayList<>();
        long time = 0;
        for (int i = 0; i < 120; i++) {
            long at = ++time;
            int kind = random.nextInt(10);
            Identifier user = users.get(random.nextInt(users.size()));
            Identifier cookie = cookies.get(random.nextInt(cookies.size()));
            String cookieProfile = ProfileId.of(cookie);
            String userProfile = ProfileId.of(user);
            String message = "m" + i;
            if (kind < 5) {
                Identifier who = random.nextBoolean() ? user : cookie;
                CdpEvent e = event(message, random.nextBoolean() ? "identify" : "page", T.plusSeconds(at), who);
                e.getTraits().put("plan", "p" + random.nextInt(3));
                e.getTraits().put("intent_to_cancel", Boolean.toString(random.nextBoolean()));
                steps.add(h -> h.processElement(at(ProfileId.of(who), who, e), at));
            } else if (kind == 5) {
                steps.add(h -> h.processElement(cmd(userProfile, new ClaimGranted(cookie)), at));
            } else if (kind == 6) {
                steps.add(h -> h.processElement(cmd(cookieProfile,
                        new ClaimConflict(cookie, userProfile, user, message)), at));
            } else if (kind == 7) {
                boolean accepted = random.nextBoolean();
                steps.add(h -> h.processElement(cmd(cookieProfile,
                        new MergeAnswer(userProfile, user, accepted, null, null)), at));
            } else if (kind == 8) {
                long watermark = T.plusSeconds(at).toEpochMilli();
                steps.add(h -> h.watermark(watermark));
            } else {
                long now = at * 600_000; // ten minutes a step: anonymous profiles (1 h TTL) expire
                steps.add(h -> h.setProcessingTime(now));
            }
        }
        return steps;
    }

    private static Map<String, ProfileUpdate> lastPerProfile(ProfileTestHarness h) {
        Map<String, ProfileUpdate> last = new LinkedHashMap<>();
        h.extractOutputValues().forEach(u -> last.put(u.getProfileId(), u));
        return new java.util.TreeMap<>(last);
    }

    private static ProfileTestHarness harness(int capacity) throws Exception {
        return harness(capacity, false);
    }

    private static ProfileTestHarness harness(int capacity, boolean flushEveryStep) throws Exception {
        return ProfileHarness.of(operator(capacity), flushEveryStep);
    }

    private static ProfileOperator operator(int capacity) {
        return ProfileHarness.operator(IdentityRules.none(), DEMO, TTL, Suppressions.defaults(),
                new ProfileOperator.CacheSettings(capacity, Duration.ZERO));
    }

    private static ProfileCommand at(String profileId, Identifier label, CdpEvent e) {
        return cmd(profileId, new EventAtProfile(e, label, 0));
    }

    private static ProfileCommand cmd(String profileId, Object body) {
        return new ProfileCommand(profileId, body);
    }
}
