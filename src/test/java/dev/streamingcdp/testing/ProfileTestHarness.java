package dev.streamingcdp.testing;

import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.segment.avro.SegmentControl;
import java.lang.reflect.Field;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.SnapshotType;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFinalizer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The profile operator in Flink's keyed two-input harness, keyed by profile id, definitions on the second input.
 * With {@code flushEveryStep} the operator writes its cache back after every input, timer or watermark, as if a
 * checkpoint barrier followed each: state and the profile snapshots are then visible step by step, which is what the
 * logic tests check. Without it, state and snapshots appear only at {@link #prepareSnapshotPreBarrier} (or a
 * snapshot), as in a running job.
 */
public final class ProfileTestHarness
        extends KeyedTwoInputStreamOperatorTestHarness<String, ProfileCommand, SegmentControl, ProfileUpdate> {

    private final boolean flushEveryStep;
    private long barriers;
    private boolean opened;

    public ProfileTestHarness(ProfileOperator operator, boolean flushEveryStep) throws Exception {
        super(operator, ProfileCommand::getProfileId, null, Types.STRING);
        this.flushEveryStep = flushEveryStep;
    }

    /**
     * With the operator's metrics registered under {@code metrics} (a task group on a recording registry, say),
     * where the other constructor's go nowhere. Flink's keyed two-input harness takes no environment, so the group
     * is put into the one it built; the operator reads it at setup, in {@link #open} or {@code initializeState}.
     */
    public ProfileTestHarness(ProfileOperator operator, boolean flushEveryStep, TaskMetricGroup metrics)
            throws Exception {
        this(operator, flushEveryStep);
        Field group = MockEnvironment.class.getDeclaredField("taskMetricGroup");
        group.setAccessible(true);
        group.set(getEnvironment(), metrics);
    }

    /** Opened once: {@link ProfileHarness} opens it, and tests written for Flink's own harness open it again. */
    @Override
    public void open() throws Exception {
        if (!opened) {
            opened = true;
            super.open();
        }
    }

    @Override
    public ProfileOperator getOperator() {
        return (ProfileOperator) super.getOperator();
    }

    public void processElement(ProfileCommand command, long timestamp) throws Exception {
        processElement1(command, timestamp);
        stepped();
    }

    public void processElement(StreamRecord<ProfileCommand> record) throws Exception {
        processElement1(record);
        stepped();
    }

    public void processBroadcastElement(StreamRecord<SegmentControl> record) throws Exception {
        processElement2(record);
        stepped();
    }

    public void processBroadcastElement(SegmentControl control, long timestamp) throws Exception {
        processElement2(control, timestamp);
        stepped();
    }

    /** The watermark on both inputs. */
    public void watermark(long timestamp) throws Exception {
        processBothWatermarks(new Watermark(timestamp));
        stepped();
    }

    @Override
    public void setProcessingTime(long time) throws Exception {
        super.setProcessingTime(time);
        stepped();
    }

    /** As a task does: the flush before the barrier, then the snapshot. */
    @Override
    public OperatorSnapshotFinalizer snapshotWithLocalState(long checkpointId, long timestamp, SnapshotType type)
            throws Exception {
        prepareSnapshotPreBarrier(checkpointId);
        return super.snapshotWithLocalState(checkpointId, timestamp, type);
    }

    /** A checkpoint barrier's flush, without a snapshot. */
    public void barrier() throws Exception {
        prepareSnapshotPreBarrier(++barriers);
    }

    private void stepped() throws Exception {
        if (flushEveryStep) {
            barrier();
        }
    }
}
