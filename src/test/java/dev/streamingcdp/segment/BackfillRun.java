package dev.streamingcdp.segment;

import dev.streamingcdp.config.BackfillSettings;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.profile.ProfileLogic;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.segment.avro.Membership;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.segment.avro.SegmentState;
import dev.streamingcdp.testing.ProfileTestHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Drives one profile operator through a script as a running job would: inputs, backfill slices (processing time
 * moving on), checkpoint barriers, checkpoints and crashes. Segment changes count once a checkpoint completed after
 * them (exactly-once sinks); a crash drops what came since, restores the last checkpoint (or starts empty) and
 * replays the inputs since, as the sources would.
 */
final class BackfillRun implements AutoCloseable {

    static final Instant T = Instant.parse("2026-12-01T09:00:00Z");
    static final SegmentCatalog NO_SEGMENTS = new SegmentCatalog(List.of(), List.of());

    sealed interface Op {}

    /** Profile {@code profile} (user u-N) says her tier; {@code n}: the event's number (message id, seconds). */
    record Event(int n, int profile, String tier) implements Op {}

    /** A definition of {@code segment} at {@code version}; condition null: the segment is deleted. */
    record Control(String segment, int version, Condition condition) implements Op {}

    /** Processing time moves on: the next backfill slice runs. */
    record Slice() implements Op {}

    /** A barrier's flush of the cache, without a checkpoint. */
    record Barrier() implements Op {}

    record Checkpoint() implements Op {}

    record Crash() implements Op {}

    private final SegmentCatalog catalog;
    private final int sliceKeys;
    private final int cacheSize;
    private final boolean rocksDb;
    private final boolean flushEveryStep;
    private ProfileTestHarness h;
    private OperatorSubtaskState checkpoint;
    private final List<Op> sinceCheckpoint = new ArrayList<>();
    private final List<SegmentChange> committed = new ArrayList<>();
    private int seen;
    private long time;
    private long checkpoints;

    BackfillRun(SegmentCatalog catalog, int sliceKeys, int cacheSize, boolean rocksDb, boolean flushEveryStep)
            throws Exception {
        this.catalog = catalog;
        this.sliceKeys = sliceKeys;
        this.cacheSize = cacheSize;
        this.rocksDb = rocksDb;
        this.flushEveryStep = flushEveryStep;
        start();
    }

    /** The one-pass behaviour: every backfill ends within the control record that starts it. */
    static BackfillRun onePass(SegmentCatalog catalog) throws Exception {
        return new BackfillRun(catalog, Integer.MAX_VALUE, 1000, false, true);
    }

    static String profileId(int profile) {
        return ProfileId.of(user(profile));
    }

    static Identifier user(int profile) {
        return new Identifier("user_id", "u-" + profile);
    }

    ProfileTestHarness harness() {
        return h;
    }

    void apply(Op op) throws Exception {
        if (op instanceof Checkpoint) {
            checkpoint = h.snapshot(++checkpoints, time);
            committed.addAll(emitted());
            sinceCheckpoint.clear();
        } else if (op instanceof Crash) {
            h.close();
            start();
            for (Op replayed : List.copyOf(sinceCheckpoint)) {
                run(replayed);
            }
        } else {
            sinceCheckpoint.add(op);
            run(op);
        }
    }

    void applyAll(List<Op> ops) throws Exception {
        for (Op op : ops) {
            apply(op);
        }
    }

    /** Runs {@code slices} more slices and a checkpoint: every change made counts. */
    void finish(int slices) throws Exception {
        for (int i = 0; i < slices; i++) {
            apply(new Slice());
        }
        apply(new Checkpoint());
    }

    /** Every change of a completed checkpoint, in emission order. */
    List<SegmentChange> committed() {
        return committed;
    }

    /** The changes emitted so far by the running operator, committed or not. */
    List<SegmentChange> emitted() {
        Queue<StreamRecord<SegmentChange>> out = h.getSideOutput(ProfileOperator.SEGMENT_CHANGES);
        List<SegmentChange> all = out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
        List<SegmentChange> fresh = List.copyOf(all.subList(seen, all.size()));
        seen = all.size();
        return fresh;
    }

    /** Segment id -> member, for one profile, as its keyed state holds it (after a barrier's flush). */
    Map<String, Boolean> memberships(int profile) throws Exception {
        h.barrier();
        h.getOperator().setCurrentKey(profileId(profile));
        SegmentState s = h.getOperator().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                ProfileOperator.SEGMENTS).value();
        Map<String, Boolean> members = new HashMap<>();
        if (s != null) {
            s.getMemberships().forEach((segment, m) -> members.put(segment, m.getMember()));
        }
        return members;
    }

    /** The sequence number of a profile's last change in a segment, as its state holds it. */
    long sequence(int profile, String segment) throws Exception {
        h.barrier();
        h.getOperator().setCurrentKey(profileId(profile));
        SegmentState s = h.getOperator().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                ProfileOperator.SEGMENTS).value();
        Membership m = s == null ? null : s.getMemberships().get(segment);
        return m == null ? 0 : m.getSequence();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }

    private void run(Op op) throws Exception {
        if (op instanceof Event e) {
            h.processElement(command(e), 0);
        } else if (op instanceof Control c) {
            h.processBroadcastElement(control(c), 0);
        } else if (op instanceof Slice) {
            time += 100;
            h.setProcessingTime(time);
        } else if (op instanceof Barrier) {
            h.barrier();
        }
    }

    /** The event as the profile operator gets it. */
    static ProfileCommand command(Event e) {
        return Commands.toProfile(profileId(e.profile()), new EventAtProfile(identify(e), user(e.profile()), 0));
    }

    /** The definition record, on the operator's second input. */
    static SegmentControl control(Control c) {
        return new SegmentControl(c.segment(), c.condition() == null ? null
                : DefinitionJsonWriter.json(new SegmentDefinition(c.segment(), c.segment(), c.version(), null,
                        List.of("dest"), null, c.condition())));
    }

    /** The profile operator with backfill slices of {@code sliceKeys} profiles (no time limit) and a small cache. */
    static ProfileOperator operator(SegmentCatalog catalog, int sliceKeys, int cacheSize) {
        Duration ttl = Duration.ofDays(30);
        return new ProfileOperator(IdentityRules.none(),
                new ProfileLogic(new JobDefinition.Profiles(null, null, ttl, null)), ttl,
                new ProfileSegments(catalog, new JobDefinition.Segments(Duration.ofSeconds(1),
                        new BackfillSettings(sliceKeys, Duration.ofMinutes(1), 1.0))),
                Suppressions.defaults(), new ProfileOperator.CacheSettings(cacheSize, Duration.ZERO));
    }

    private void start() throws Exception {
        h = new ProfileTestHarness(operator(catalog, sliceKeys, cacheSize), flushEveryStep);
        if (rocksDb) {
            EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
            backend.getMemoryConfiguration().setUseManagedMemory(false); // the harness has almost none
            h.setStateBackend(backend);
        }
        if (checkpoint != null) {
            h.initializeState(checkpoint);
        }
        h.open();
        h.setProcessingTime(time);
        seen = 0;
    }

    private static CdpEvent identify(Event e) {
        return CdpEvent.newBuilder().setMessageId("m-" + e.n()).setType("identify")
                .setEventTime(T.plusSeconds(e.n())).setIdentifiers(List.of(user(e.profile())))
                .setTraits(new HashMap<>(Map.of("tier", e.tier()))).setProperties(new HashMap<>())
                .setConsent(new HashMap<>()).setSource(new SourceRef("t", 0, 0L, 0L)).build();
    }
}
