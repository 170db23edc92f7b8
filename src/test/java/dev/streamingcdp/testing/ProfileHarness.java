package dev.streamingcdp.testing;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.profile.ProfileLogic;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.SegmentCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** The profile operator in a harness, as the harness tests build it. */
public final class ProfileHarness {

    /** A cache larger than any test's profiles, flushed only when the harness says so. */
    public static final ProfileOperator.CacheSettings CACHE = new ProfileOperator.CacheSettings(1000, Duration.ZERO);

    private ProfileHarness() {}

    /** Default trait policy, 1 s timer resolution, flushed after every step. */
    public static ProfileTestHarness of(IdentityRules rules, SegmentCatalog catalog, Duration anonymousTtl)
            throws Exception {
        return of(operator(rules, catalog, anonymousTtl, Suppressions.defaults(), CACHE), true);
    }

    public static ProfileOperator operator(IdentityRules rules, SegmentCatalog catalog, Duration anonymousTtl,
            Suppressions suppressions, ProfileOperator.CacheSettings cache) {
        return new ProfileOperator(rules, new ProfileLogic(new JobDefinition.Profiles(null, null, anonymousTtl, null)),
                anonymousTtl, new ProfileSegments(catalog, Duration.ofSeconds(1)), suppressions, cache);
    }

    public static ProfileTestHarness of(ProfileOperator operator, boolean flushEveryStep) throws Exception {
        ProfileTestHarness h = new ProfileTestHarness(operator, flushEveryStep);
        h.open();
        return h;
    }

    /** What the operator sent to {@code tag} so far (the harness has no queue until the first record). */
    public static <T> List<T> sideOutput(AbstractStreamOperatorTestHarness<?> h, OutputTag<T> tag) {
        Queue<StreamRecord<T>> records = h.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }
}
