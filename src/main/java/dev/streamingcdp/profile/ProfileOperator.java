package dev.streamingcdp.profile;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.MergeStatus;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.LinkRejection;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.privacy.AfterErasure;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.SegmentDefinition;
import dev.streamingcdp.segment.avro.SegmentBackfill;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.segment.avro.SegmentState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by profile id: one person's profile, her side of the merge protocol, her segments and her erasure; the
 * segment definitions arrive on the second (broadcast) input. The logic is in {@link ProfileStep} and its parts;
 * this class is the Flink plumbing: state, the cache of hot profiles, timers, outputs; {@link Backfill} brings
 * definitions changed at run time to the existing profiles.
 *
 * <p>State is touched once per checkpoint, not per command: a profile id's four keyed states are read into a
 * {@link ProfileEntry} when it is first touched and written back, with the key set, only when the operator flushes:
 * in {@link #prepareSnapshotPreBarrier} (so the checkpoint holds every change made before its barrier), when a
 * dirty entry is evicted, in {@link #finish}, and with
 * AT_LEAST_ONCE every {@code flushInterval}. The profile topic gets at most one snapshot per profile per flush (the
 * topic is compacted: its final content is that of a snapshot per change). Everything else (merge steps, segment
 * changes, activation, merge announcements and tombstones) goes out at once. Flink's precedent for this shape is
 * the Table runtime's mini-batch operators (a heap bundle flushed before the barrier).
 *
 * <p>Savepoints: the state names, types, the timer service name ("user-timers") and the broadcast state are those
 * of the keyed broadcast function this operator replaced, so savepoints of earlier releases restore.
 */
public class ProfileOperator extends AbstractStreamOperator<ProfileUpdate>
        implements TwoInputStreamOperator<ProfileCommand, SegmentControl, ProfileUpdate>,
        Triggerable<String, VoidNamespace> {

    public static final OutputTag<FeedbackMessage> FEEDBACK =
            new OutputTag<>("identity-feedback", new AvroTypeInfo<>(FeedbackMessage.class));
    public static final OutputTag<LinkRejection> REJECTED_LINKS =
            new OutputTag<>("rejected-links", new AvroTypeInfo<>(LinkRejection.class));
    public static final OutputTag<SegmentChange> SEGMENT_CHANGES =
            new OutputTag<>("segment-changes", new AvroTypeInfo<>(SegmentChange.class));
    /** After a change of memberships or consent: what activation needs to know of the profile. */
    public static final OutputTag<ActivationInput> ACTIVATION =
            new OutputTag<>("activation", new AvroTypeInfo<>(ActivationInput.class));

    /** Broadcast: segment id -> the latest accepted control record (definition null: deleted). */
    public static final MapStateDescriptor<String, SegmentControl> DEFINITIONS = new MapStateDescriptor<>(
            "segment-definitions", Types.STRING, new AvroTypeInfo<>(SegmentControl.class));
    public static final ValueStateDescriptor<ProfileState> PROFILE =
            new ValueStateDescriptor<>("profile", new AvroTypeInfo<>(ProfileState.class));
    /** Stored only when not the default (no merge, claim or expiry pending). */
    static final ValueStateDescriptor<MergeStatus> STATUS =
            new ValueStateDescriptor<>("merge-status", new AvroTypeInfo<>(MergeStatus.class));
    public static final ValueStateDescriptor<SegmentState> SEGMENTS =
            new ValueStateDescriptor<>("segment-memberships", new AvroTypeInfo<>(SegmentState.class));
    /** Set for a while after an erasure (no personal data): in-flight messages must not re-create her. */
    public static final ValueStateDescriptor<ErasureMarker> ERASED =
            new ValueStateDescriptor<>("erased", new AvroTypeInfo<>(ErasureMarker.class));

    /** The timer service of the keyed broadcast operator this one replaced: its timers restore from savepoints. */
    private static final String TIMERS = "user-timers";

    /** How many hot profiles a subtask keeps, and how often AT_LEAST_ONCE flushes them (0: at checkpoints only). */
    public record CacheSettings(int capacity, Duration flushInterval) implements java.io.Serializable {}

    private final IdentityRules rules;
    private final ProfileLogic logic;
    private final long anonymousTtlMillis;
    private final ProfileSegments segments;
    private final Suppressions suppressions;
    private final CacheSettings cacheSettings;

    private transient ValueState<ProfileState> profileState;
    private transient ValueState<MergeStatus> statusState;
    private transient ValueState<SegmentState> segmentState;
    private transient ValueState<ErasureMarker> erasedState;
    private transient BroadcastState<String, SegmentControl> definitions;
    private transient InternalTimerService<VoidNamespace> timerService;
    private transient ProfileRuntime rt;
    private transient ProfileCache cache;
    private transient ListState<SegmentBackfill> backfills;
    private transient Backfill backfill;
    /** The timestamp outputs carry: that of the input record or event-time timer being handled (none: MIN). */
    private transient long stamp;

    public ProfileOperator(IdentityRules rules, ProfileLogic logic, Duration anonymousTtl, ProfileSegments segments,
            Suppressions suppressions, CacheSettings cacheSettings) {
        this.rules = rules;
        this.logic = logic;
        this.anonymousTtlMillis = anonymousTtl.toMillis();
        this.segments = segments;
        this.suppressions = suppressions;
        this.cacheSettings = cacheSettings;
    }

    @Override
    public void open() throws Exception {
        super.open();
        profileState = getPartitionedState(PROFILE);
        statusState = getPartitionedState(STATUS);
        segmentState = getPartitionedState(SEGMENTS);
        erasedState = getPartitionedState(ERASED);
        definitions = getOperatorStateBackend().getBroadcastState(DEFINITIONS);
        timerService = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        rt = new ProfileRuntime(rules, logic, segments, suppressions, anonymousTtlMillis, new Outputs(),
                new SimpleTimerService(timerService), new ProfileMetrics(getMetricGroup()), this::readMemberships);
        rt.active = segments.active(definitions.immutableEntries());
        cache = new ProfileCache(cacheSettings.capacity(), this::writeEvicted);
        stamp = Long.MIN_VALUE;
        scheduleFlush();
        backfills = getOperatorStateBackend().getUnionListState(Backfill.PENDING);
        backfill = new Backfill(rt, cache, getKeyedStateBackend(), profileState, segmentState,
                getProcessingTimeService(), segments.backfill(), () -> stamp = Long.MIN_VALUE);
        backfill.restore(backfills.get());
    }

    @Override
    public void processElement1(StreamRecord<ProfileCommand> record) {
        long began = backfill.running() ? System.nanoTime() : 0;
        stamp = record.hasTimestamp() ? record.getTimestamp() : Long.MIN_VALUE;
        ProfileEntry entry = current();
        Object body = record.getValue().getBody();
        if (entry.erasure != null) {
            AfterErasure.handle(rt.key, entry.erasure, body, new ProfileErasure.Outputs(rt, entry.erasure));
        } else {
            ProfileStep step = new ProfileStep(rt, entry);
            step.handle(record.getValue());
            step.finish();
        }
        if (began != 0) {
            backfill.eventHandled(System.nanoTime() - began);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        stamp = timer.getTimestamp();
        ProfileEntry entry = current();
        if (entry.erasure != null) { // its other timers were deleted; only the marker's own remains
            return;
        }
        ProfileStep step = new ProfileStep(rt, entry);
        step.segments.windowLapsed(timer.getTimestamp());
        step.finish();
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        stamp = Long.MIN_VALUE;
        ProfileEntry entry = current();
        if (entry.erasure != null) {
            if (timer.getTimestamp() >= entry.erasure.getUntil()) {
                entry.erasure = null;
                entry.erasureDirty = true;
            }
            return;
        }
        ProfileStep step = new ProfileStep(rt, entry);
        new AnonymousExpiry(step).expire(timer.getTimestamp());
        step.finish();
    }

    /**
     * A definition was added, changed or deleted: it is in force at once for every step, and the profiles that
     * already exist are evaluated against it by a {@link Backfill} in slices between events.
     */
    @Override
    public void processElement2(StreamRecord<SegmentControl> record) throws Exception {
        stamp = record.hasTimestamp() ? record.getTimestamp() : Long.MIN_VALUE;
        SegmentControl control = record.getValue();
        SegmentDefinition before = rt.active.segment(control.getSegmentId()).orElse(null);
        definitions.put(control.getSegmentId(), control);
        rt.active = segments.active(definitions.immutableEntries());
        backfill.changed(control.getSegmentId(), before, rt.active.segment(control.getSegmentId()).orElse(null));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        backfills.update(backfill.pending());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (backfill != null) {
            backfill.close();
        }
        super.close();
    }

    /** The cached entry of the current key, read from state on first touch. */
    private ProfileEntry current() {
        String id = (String) getCurrentKey();
        rt.key = id;
        ProfileEntry entry = cache.get(id);
        if (entry == null) {
            try {
                ErasureMarker marker = erasedState.value();
                entry = marker != null ? new ProfileEntry(null, null, marker)
                        : new ProfileEntry(profileState.value(), statusState.value(), null);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the state of profile " + id, e);
            }
            cache.put(id, entry);
        }
        return entry;
    }

    private SegmentState readMemberships() {
        try {
            SegmentState s = segmentState.value();
            return s != null ? s : ProfileSegments.emptyState();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the segment memberships of profile " + getCurrentKey(), e);
        }
    }

    /** Writes every dirty entry back and sends the snapshots it owes. */
    private void flush() {
        cache.flush(this::write);
    }

    private void writeEvicted(String id, ProfileEntry entry) {
        Object current = getCurrentKey();
        write(id, entry);
        setCurrentKey(current);
    }

    private void write(String id, ProfileEntry entry) {
        setCurrentKey(id);
        try {
            if (entry.erasureDirty) {
                if (entry.erasure != null) {
                    erasedState.update(entry.erasure);
                } else {
                    erasedState.clear();
                }
            }
            if (entry.profileDirty) {
                if (entry.profile != null) {
                    profileState.update(entry.profile);
                } else {
                    profileState.clear();
                }
            }
            if (entry.statusDirty) {
                if (ProfileEntry.isDefault(entry.status)) {
                    statusState.clear();
                } else {
                    statusState.update(entry.status);
                }
            }
            if (entry.membershipsDirty) {
                if (entry.memberships != null) {
                    segmentState.update(entry.memberships);
                } else {
                    segmentState.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the state of profile " + id, e);
        }
        if (entry.snapshotOwed && entry.profile != null) {
            output.collect(new StreamRecord<>(new ProfileUpdate(id, entry.profile, null,
                    ProfileSegments.computedTraits(entry.profile, rt.active, entry.snapshotWatermark))));
        }
        entry.clean();
    }

    private void scheduleFlush() {
        long every = cacheSettings.flushInterval().toMillis();
        if (every > 0) {
            getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + every,
                    t -> {
                        flush();
                        scheduleFlush();
                    });
        }
    }

    private <T> StreamRecord<T> record(T value) {
        return stamp == Long.MIN_VALUE ? new StreamRecord<>(value) : new StreamRecord<>(value, stamp);
    }

    /** Sends on the operator's main output and side outputs, stamped as the record or timer being handled. */
    private final class Outputs implements ProfileOutputs {
        @Override
        public void update(ProfileUpdate update) {
            output.collect(record(update));
        }

        @Override
        public void feedback(FeedbackMessage message) {
            output.collect(FEEDBACK, record(message));
        }

        @Override
        public void rejectedLink(LinkRejection rejection) {
            output.collect(REJECTED_LINKS, record(rejection));
        }

        @Override
        public void segmentChange(SegmentChange change) {
            output.collect(SEGMENT_CHANGES, record(change));
        }

        @Override
        public void activation(ActivationInput input) {
            output.collect(ACTIVATION, record(input));
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            output.collect(DeadLetters.TAG, record(deadLetter));
        }
    }
}
