package dev.streamingcdp.profile;

import dev.streamingcdp.activation.ActivationInputs;
import dev.streamingcdp.config.BackfillSettings;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.segment.Condition;
import dev.streamingcdp.segment.Memberships;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.SegmentDefinition;
import dev.streamingcdp.segment.avro.RemovedSegment;
import dev.streamingcdp.segment.avro.SegmentBackfill;
import dev.streamingcdp.segment.avro.SegmentState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A definition added, changed or deleted at run time reaches the profiles that already exist in slices: a
 * processing-time callback (it runs on the task thread between records, like any timer) evaluates at most
 * {@code sliceKeys} profiles or for at most {@code sliceTime}, then schedules the next slice. Only real membership
 * changes are emitted, as one pass over all profiles would emit them.
 *
 * <p>One pass at a time covers every pending segment. A change arriving during a pass restarts it with the union
 * (profiles already visited emit nothing the second time). A profile touched by an event during the pass is
 * evaluated by that step against every definition in force, the pending ones included, so when the pass reaches it
 * its memberships are already right: nothing is emitted twice. A profile in the cache is evaluated on its cached
 * value (marked dirty, written back at the next flush); any other directly in keyed state.
 *
 * <p>The pending segments are union operator state: a restore (also at another parallelism) restarts the pass over
 * all of a subtask's profiles for every segment any subtask still had pending. Events keep the share of the task
 * thread they need: the pause before the next slice is the slice's duration times the share of the time between
 * slices that went to events (1 ms at least), so a saturated event load gets half the thread; and the slices take
 * at most {@code maxShare} of it even when no event comes, since what they emit competes with the events' output
 * for the sinks and the broker. With {@code maxShare} at 0.5 or less (the default) that cap alone sets the pause.
 */
final class Backfill implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    /** segment id -> what is still to be done for it (the list order has no meaning). */
    static final ListStateDescriptor<SegmentBackfill> PENDING =
            new ListStateDescriptor<>("segment-backfills", new AvroTypeInfo<>(SegmentBackfill.class));

    private final ProfileRuntime rt;
    private final ProfileCache cache;
    private final KeyedStateBackend<String> backend;
    private final ValueState<ProfileState> profiles;
    private final ValueState<SegmentState> memberships;
    private final ProcessingTimeService time;
    private final BackfillSettings settings;
    /** Run before each scheduled slice (the operator's outputs then carry no record's timestamp). */
    private final Runnable beforeSlice;

    private final Map<String, SegmentBackfill> pending = new TreeMap<>();
    private List<SegmentDefinition> evaluate = List.of();
    private List<SegmentDefinition> exits = List.of();
    private BackfillKeys keys;
    private boolean scheduled;
    /** Nanoseconds spent on input records since the last slice ended, and when it ended. */
    private long eventNanos;
    private long sliceEnded;
    private long pauseMillis;
    private long passStarted;
    private long keysDone;
    private long keysEstimate = -1;

    Backfill(ProfileRuntime rt, ProfileCache cache, KeyedStateBackend<String> backend,
            ValueState<ProfileState> profiles, ValueState<SegmentState> memberships, ProcessingTimeService time,
            BackfillSettings settings, Runnable beforeSlice) {
        this.rt = rt;
        this.cache = cache;
        this.backend = backend;
        this.profiles = profiles;
        this.memberships = memberships;
        this.time = time;
        this.settings = settings;
        this.beforeSlice = beforeSlice;
        rt.metrics.backfill(() -> pending.size(), () -> keysDone, () -> keysEstimate);
    }

    /** After a restore: the pending segments of every subtask; the pass starts at the first slice. */
    void restore(Iterable<SegmentBackfill> restored) {
        restored.forEach(b -> pending.put(b.getSegmentId(), b));
        if (!pending.isEmpty()) {
            restart();
            schedule();
        }
    }

    /**
     * Segment {@code id} changed from {@code before} to {@code after} (null: absent) and {@code rt.active} already
     * holds the new set: the pass restarts and its first slice runs now.
     */
    void changed(String id, SegmentDefinition before, SegmentDefinition after) {
        if (after != null) {
            pending.put(id, new SegmentBackfill(id, null));
        } else if (before != null) {
            pending.put(id, new SegmentBackfill(id, new RemovedSegment(before.version(),
                    new ArrayList<>(before.destinations()), before.consent())));
        } else {
            return; // deleting a segment that is not there: its exits, if any, are pending already
        }
        restart();
        slice();
    }

    /** The pending segments, for a checkpoint. */
    List<SegmentBackfill> pending() {
        return new ArrayList<>(pending.values());
    }

    /** Whether a pass is under way: only then does the time input records take matter ({@link #eventHandled}). */
    boolean running() {
        return keys != null;
    }

    /** An input record took {@code nanos} to handle: the pause before the next slice grows with their share. */
    void eventHandled(long nanos) {
        eventNanos += nanos;
    }

    @Override
    public void close() {
        if (keys != null) {
            keys.close();
            keys = null;
        }
    }

    private void restart() {
        close();
        keys = BackfillKeys.open(backend, cache.ids());
        keysDone = 0;
        passStarted = System.nanoTime();
        if (keys.size >= 0) {
            keysEstimate = keys.size;
        }
        evaluate = new ArrayList<>();
        exits = new ArrayList<>();
        for (SegmentBackfill b : pending.values()) {
            RemovedSegment r = b.getRemoved();
            if (r == null) {
                rt.active.segment(b.getSegmentId()).ifPresent(evaluate::add);
            } else {
                exits.add(new SegmentDefinition(b.getSegmentId(), b.getSegmentId(), r.getVersion(), null,
                        r.getDestinations(), r.getConsent(), new Condition.All(List.of())));
            }
        }
    }

    private void slice() {
        long start = System.nanoTime();
        long budget = settings.sliceTime().toNanos();
        int n = 0;
        while (keys.hasNext() && n < settings.sliceKeys() && (n % 64 != 0 || System.nanoTime() - start < budget)) {
            visit(keys.next());
            n++;
        }
        keysDone += n;
        long end = System.nanoTime();
        double eventShare = sliceEnded == 0 || start <= sliceEnded ? 0 : Math.min(1.0,
                eventNanos / (double) (start - sliceEnded));
        // events' share of the thread, and at least what keeps the slices within maxShare of it
        double share = settings.maxShare();
        pauseMillis = Math.round((end - start) / 1e6 * Math.max(eventShare, (1 - share) / share));
        eventNanos = 0;
        sliceEnded = end;
        if (keys.hasNext()) {
            schedule();
        } else {
            LOG.info("segment backfill of {} done: {} profile ids visited in {} ms", pending.keySet(), keysDone,
                    (end - passStarted) / 1_000_000);
            keysEstimate = Math.max(keysEstimate, keysDone);
            pending.clear();
            close();
        }
    }

    private void schedule() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        time.registerTimer(time.getCurrentProcessingTime() + Math.max(1, pauseMillis), t -> {
            scheduled = false;
            if (keys != null) {
                beforeSlice.run();
                slice();
            }
        });
    }

    /** Evaluates the pending segments for one profile id, on its cached entry if it has one. */
    private void visit(String id) {
        backend.setCurrentKey(id);
        rt.key = id;
        ProfileEntry entry = cache.get(id);
        try {
            if (entry == null) {
                ProfileState profile = profiles.value();
                SegmentState s = profile == null ? null : stored();
                if (profile != null && evaluate(id, profile, s)) {
                    memberships.update(s);
                }
            } else if (entry.erasure == null && entry.profile != null) {
                if (entry.memberships == null) {
                    entry.memberships = stored();
                }
                if (evaluate(id, entry.profile, entry.memberships)) {
                    entry.membershipsDirty = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the state of profile " + id + " for a segment backfill", e);
        }
    }

    private SegmentState stored() throws IOException {
        SegmentState s = memberships.value();
        return s != null ? s : ProfileSegments.emptyState();
    }

    /** Emits the changes; whether the memberships changed (a change, or a timer moved for a new window). */
    private boolean evaluate(String id, ProfileState profile, SegmentState s) {
        long watermark = rt.watermark();
        long now = ProfileSegments.clock(profile, watermark);
        List<SegmentChange> changes = new ArrayList<>(0);
        boolean rescheduled = false;
        if (!evaluate.isEmpty()) {
            ProfileSegments.Evaluation e = rt.segments.evaluate(id, profile, s, rt.active, evaluate, watermark, now,
                    Memberships.Trigger.DEFINITION);
            changes.addAll(e.changes());
            // the new definition may lapse before the profile's timer (a sequence with a shorter window)
            rescheduled = StepSegments.schedule(rt.timers, s, e.timer());
        }
        for (SegmentDefinition removed : exits) {
            changes.addAll(Memberships.exit(id, s, removed, now, Memberships.Trigger.SEGMENT_DELETED));
        }
        if (changes.isEmpty()) {
            return rescheduled;
        }
        changes.forEach(c -> rt.out.segmentChange(rt.metrics.counted(c)));
        rt.out.activation(ActivationInputs.of(id, profile, s, rt.active, changes, List.of(), now, null, false));
        return true;
    }
}
