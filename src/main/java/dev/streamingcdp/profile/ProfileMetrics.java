package dev.streamingcdp.profile;

import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.segment.Memberships;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
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

    void rejected(String rule) {
        rejectedByRule.computeIfAbsent(rule, r -> group.addGroup("rule", r).counter("rejectedLinks")).inc();
    }
}
