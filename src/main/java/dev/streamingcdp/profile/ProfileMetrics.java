package dev.streamingcdp.profile;

import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.segment.Memberships;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/** The profile operator's counters (group {@code profile}), names as README's metrics table lists them. */
final class ProfileMetrics {

    private final MetricGroup group;
    final Counter created;
    final Counter removed;
    final Counter merges;
    final Counter redirects;
    final Counter erased;
    final Counter droppedAfterErasure;
    private final Map<String, Counter> bySegment = new HashMap<>();
    private final Map<String, Counter> rejectedByRule = new HashMap<>();

    ProfileMetrics(MetricGroup operatorGroup) {
        group = operatorGroup.addGroup("profile");
        created = group.counter("profilesCreated");
        removed = group.counter("profilesRemoved");
        merges = group.counter("merges");
        redirects = group.counter("redirects");
        erased = group.counter("profilesErased");
        droppedAfterErasure = group.counter("eventsDroppedAfterErasure");
    }

    /** Counts per segment, entered and exited; returns the change. */
    SegmentChange counted(SegmentChange change) {
        String name = change.getSegmentId() + "." + change.getType();
        bySegment.computeIfAbsent(name, n -> group.addGroup("segment", change.getSegmentId())
                .counter(Memberships.ENTERED.equals(change.getType()) ? "entered" : "exited")).inc();
        return change;
    }

    /**
     * The definition backfill's progress (group {@code profile.backfill}): segments still pending on this subtask,
     * profiles the current pass has visited, and how many it will visit (known at the start with heap state; with
     * RocksDB the size of the last finished pass, -1 before one finished).
     */
    void backfill(Gauge<Integer> pending, Gauge<Long> keysDone, Gauge<Long> keysEstimate) {
        MetricGroup backfill = group.addGroup("backfill");
        backfill.gauge("pending", pending);
        backfill.gauge("keysDone", keysDone);
        backfill.gauge("keysEstimate", keysEstimate);
    }

    void rejected(String rule) {
        rejectedByRule.computeIfAbsent(rule, r -> group.addGroup("rule", r).counter("rejectedLinks")).inc();
    }
}
