package dev.streamingcdp.profile;

import dev.streamingcdp.activation.ActivationInputs;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.segment.Memberships;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.avro.SegmentState;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.TimerService;

/** A step's segment work: why and when to evaluate, window timers, and exits when the profile goes away. */
final class StepSegments {

    private final ProfileStep step;
    /** Why segments are evaluated in this step (null: nothing they depend on changed) and at what event time. */
    private Memberships.Trigger trigger;
    private long occurredAt;
    /**
     * Kafka timestamp of the input event that set the trigger, for activation's latency histogram. Null when no
     * input event did: a lapsed window, a merge (the linking event is not carried through the merge protocol);
     * definition backfills and the exits of a profile merged away, removed or erased send null as well.
     */
    private Long triggeredAt;
    private boolean touched;

    StepSegments(ProfileStep step) {
        this.step = step;
    }

    /** Evaluated once, when the step finishes. */
    void evaluate(Memberships.Trigger why, long at, Long receivedAt) {
        trigger = why;
        occurredAt = at;
        triggeredAt = receivedAt;
    }

    boolean triggered() {
        return trigger != null;
    }

    void windowLapsed(long timestamp) {
        SegmentState s = memberships();
        if (s.getTimerAt() == timestamp) {
            s.setTimerAt(0);
        }
        if (step.profile != null && step.status.getMergedInto() == null) {
            step.profileChanged = true;
            evaluate(Memberships.Trigger.WINDOW, timestamp, null);
        }
    }

    void exitAll(Memberships.Trigger why, Map<String, String> detail) {
        ProfileRuntime rt = step.rt;
        SegmentState s = memberships();
        long at = ProfileSegments.clock(step.profile, rt.watermark());
        List<SegmentChange> changes = Memberships.exitAll(step.id, s, rt.active, at, why, detail);
        changes.forEach(c -> rt.out.segmentChange(rt.metrics.counted(c)));
        if (!changes.isEmpty()) {
            rt.out.activation(ActivationInputs.of(step.id, step.profile, s, rt.active, changes, List.of(), at, null,
                    true));
        }
        schedule(rt.timers, s, 0);
        trigger = null;
    }

    void run() {
        ProfileRuntime rt = step.rt;
        SegmentState s = memberships();
        ProfileSegments.Evaluation e = rt.segments.evaluate(step.id, step.profile, s, rt.active,
                rt.active.segments(), rt.watermark(), occurredAt, trigger);
        e.changes().forEach(c -> rt.out.segmentChange(rt.metrics.counted(c)));
        schedule(rt.timers, s, e.timer());
        if (!e.changes().isEmpty() || !ActivationInputs.consent(step.profile).equals(step.consentBefore)) {
            rt.out.activation(ActivationInputs.of(step.id, step.profile, s, rt.active, e.changes(),
                    step.status.getPendingClaims().keySet(), occurredAt, triggeredAt, false));
        }
    }

    /** The memberships, read from the entry (and from state the first time) and owed back if this step read them. */
    SegmentState memberships() {
        ProfileEntry entry = step.entry;
        if (entry.memberships == null) {
            entry.memberships = step.rt.memberships.get();
        }
        touched = true;
        return entry.memberships;
    }

    void finish() {
        if (touched) {
            step.entry.membershipsDirty = true;
        }
    }

    /** Keeps one event-time timer per profile, at {@code at} (0: none); whether it moved. */
    static boolean schedule(TimerService timers, SegmentState s, long at) {
        if (s.getTimerAt() == at) {
            return false;
        }
        if (s.getTimerAt() != 0) {
            timers.deleteEventTimeTimer(s.getTimerAt());
        }
        if (at != 0) {
            timers.registerEventTimeTimer(at);
        }
        s.setTimerAt(at);
        return true;
    }
}
