package dev.streamingcdp.segment;

import dev.streamingcdp.config.BackfillSettings;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.segment.avro.SegmentState;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the profile operator does for segments, kept apart from the merge protocol: record an event's facts,
 * evaluate memberships at the profile's clock, and say when the next window lapses. The clock is the later of the
 * profile's last event time and the watermark, so it only moves forward and every replay computes the same.
 */
public final class ProfileSegments implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SegmentCatalog catalog;
    private final long timerResolution;
    private final BackfillSettings backfill;

    public ProfileSegments(SegmentCatalog catalog, Duration timerResolution) {
        this(catalog, new JobDefinition.Segments(timerResolution, null));
    }

    public ProfileSegments(SegmentCatalog catalog, JobDefinition.Segments settings) {
        this.catalog = catalog;
        this.timerResolution = settings.timerResolution().toMillis();
        this.backfill = settings.backfill();
    }

    /** How run-time definition changes are backfilled: slice sizes. */
    public BackfillSettings backfill() {
        return backfill;
    }

    /** The definitions in force: the catalog with the control topic's accepted changes on top. */
    public ActiveSegments active(Iterable<Map.Entry<String, SegmentControl>> controls) {
        return ActiveSegments.of(catalog, controls);
    }

    public static long clock(ProfileState p, long watermark) {
        return Math.max(p.getLastSeen().toEpochMilli(), watermark);
    }

    public void record(ProfileState p, CdpEvent e, ActiveSegments active, long watermark) {
        Facts.record(p.getFacts(), active.specs().values(), e, clock(p, watermark));
    }

    /** The memberships of {@code segments} after a change, and the event time of the next timer (0: none). */
    public Evaluation evaluate(String profileId, ProfileState p, SegmentState state, ActiveSegments active,
            Collection<SegmentDefinition> segments, long watermark, long occurredAt, Memberships.Trigger trigger) {
        long now = clock(p, watermark);
        Facts.prune(p.getFacts(), active.specs(), now);
        Evaluator evaluator = new Evaluator(p, active, now);
        List<SegmentChange> changes = Memberships.evaluate(profileId, state, segments, evaluator,
                occurredAt, trigger);
        long next = Long.MAX_VALUE;
        for (SegmentDefinition s : active.segments()) {
            next = Math.min(next, evaluator.nextChange(s));
        }
        return new Evaluation(changes, next == Long.MAX_VALUE ? 0 : roundUp(next));
    }

    /** Computed traits as the profile topic shows them. */
    public static Map<String, Object> computedTraits(ProfileState p, ActiveSegments active, long watermark) {
        Evaluator evaluator = new Evaluator(p, active, clock(p, watermark));
        Map<String, Object> values = new TreeMap<>();
        active.computedTraits().forEach(t -> values.put(t.name(), evaluator.computed(t.name())));
        return values;
    }

    public static SegmentState emptyState() {
        return Memberships.empty();
    }

    /** Timers are rounded up, so windows that lapse close together share one. */
    private long roundUp(long at) {
        long rounded = Math.floorDiv(at + timerResolution - 1, timerResolution) * timerResolution;
        return Math.max(rounded, at);
    }

    public record Evaluation(List<SegmentChange> changes, long timer) {}
}
