package dev.streamingcdp.profile;

import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.segment.ActiveSegments;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.avro.SegmentState;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.TimerService;

/**
 * What every step on a profile works with: the job's rules and settings, the operator's outputs, timers and
 * metrics, the running segment definitions, and whose profile it is now (the operator's current key).
 */
final class ProfileRuntime {

    final IdentityRules rules;
    final ProfileLogic logic;
    final ProfileSegments segments;
    final Suppressions suppressions;
    final long anonymousTtlMillis;
    final ProfileOutputs out;
    /** Bound to the current key: a timer registered here is the current profile's. */
    final TimerService timers;
    final ProfileMetrics metrics;
    /** The current key's segment memberships as stored (an empty state when none). */
    final Supplier<SegmentState> memberships;
    /** Rebuilt when a definition changes. */
    ActiveSegments active;
    /** The profile id the operator works on now. */
    String key;

    ProfileRuntime(IdentityRules rules, ProfileLogic logic, ProfileSegments segments, Suppressions suppressions,
            long anonymousTtlMillis, ProfileOutputs out, TimerService timers, ProfileMetrics metrics,
            Supplier<SegmentState> memberships) {
        this.rules = rules;
        this.logic = logic;
        this.segments = segments;
        this.suppressions = suppressions;
        this.anonymousTtlMillis = anonymousTtlMillis;
        this.out = out;
        this.timers = timers;
        this.metrics = metrics;
        this.memberships = memberships;
    }

    long watermark() {
        return timers.currentWatermark();
    }

    long now() {
        return timers.currentProcessingTime();
    }
}
