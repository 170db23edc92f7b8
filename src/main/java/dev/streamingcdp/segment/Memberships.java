package dev.streamingcdp.segment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.segment.avro.Membership;
import dev.streamingcdp.segment.avro.SegmentState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A profile's segment memberships: compares a new evaluation with the stored membership and turns every real
 * difference into one ENTERED or EXITED change with the next sequence number. Entries of exited or deleted
 * segments stay (as not-member) so a profile id that comes back continues its sequence.
 */
public final class Memberships {

    public static final String ENTERED = "ENTERED";
    public static final String EXITED = "EXITED";

    /** What made the evaluation happen; part of the reason. */
    public enum Trigger {
        EVENT, WINDOW, MERGE, DEFINITION, PROFILE_MERGED, PROFILE_REMOVED, SEGMENT_DELETED, ERASED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Memberships() {}

    public static SegmentState empty() {
        return new SegmentState(new HashMap<>(), 0L);
    }

    /** Evaluates {@code segments} for {@code profileId} and records and returns the changes. */
    public static List<SegmentChange> evaluate(String profileId, SegmentState state,
            Collection<SegmentDefinition> segments, Evaluator evaluator, long occurredAt, Trigger trigger) {
        List<SegmentChange> changes = new ArrayList<>(0);
        for (SegmentDefinition segment : segments) {
            Evaluator.Result result = evaluator.evaluate(segment);
            Membership m = state.getMemberships().get(segment.id());
            boolean member = m != null && m.getMember();
            if (result.held() != member) {
                ObjectNode reason = reason(trigger, segment.version());
                var findings = reason.putArray("facts");
                result.findings().forEach(f -> findings.addObject()
                        .put("condition", f.condition())
                        .put("held", f.held())
                        .set("value", Json.tree(f.value())));
                changes.add(change(profileId, state, segment, result.held(), occurredAt, reason));
            } else if (m != null && m.getVersion() != segment.version()) {
                m.setVersion(segment.version());
            }
        }
        return changes;
    }

    /** EXITED for {@code segment} if the profile is in it (the segment was deleted). */
    public static List<SegmentChange> exit(String profileId, SegmentState state, SegmentDefinition segment,
            long occurredAt, Trigger trigger) {
        Membership m = state.getMemberships().get(segment.id());
        if (m == null || !m.getMember()) {
            return List.of();
        }
        return List.of(change(profileId, state, segment, false, occurredAt, reason(trigger, segment.version())));
    }

    /**
     * EXITED for every segment the profile is in (it was merged into another or removed); {@code detail} adds to
     * the reason, e.g. the survivor's id. Segments no longer defined exit with the version they were entered with.
     */
    public static List<SegmentChange> exitAll(String profileId, SegmentState state, ActiveSegments active,
            long occurredAt, Trigger trigger, Map<String, String> detail) {
        List<SegmentChange> changes = new ArrayList<>(0);
        for (Map.Entry<String, Membership> e : new TreeMap<>(state.getMemberships()).entrySet()) {
            Membership m = e.getValue();
            if (!m.getMember()) {
                continue;
            }
            SegmentDefinition segment = active.segment(e.getKey()).orElseGet(() -> new SegmentDefinition(
                    e.getKey(), e.getKey(), m.getVersion(), null, List.of(), null, new Condition.All(List.of())));
            ObjectNode reason = reason(trigger, m.getVersion());
            detail.forEach(reason::put);
            changes.add(change(profileId, state, segment, false, occurredAt, reason));
        }
        return changes;
    }

    private static SegmentChange change(String profileId, SegmentState state, SegmentDefinition segment,
            boolean member, long occurredAt, ObjectNode reason) {
        Membership m = state.getMemberships().get(segment.id());
        long sequence = (m == null ? 0 : m.getSequence()) + 1;
        state.getMemberships().put(segment.id(), new Membership(segment.version(), member, sequence, occurredAt));
        return new SegmentChange(member ? ENTERED : EXITED, segment.id(), segment.version(), profileId, occurredAt,
                sequence, reason.toString(), new ArrayList<>(segment.destinations()),
                segment.consent());
    }

    private static ObjectNode reason(Trigger trigger, int version) {
        return Json.object().put("trigger", trigger.code()).put("version", version);
    }
}
