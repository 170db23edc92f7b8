package dev.streamingcdp.identity;

import dev.streamingcdp.identity.avro.FeedbackMessage;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Right behind the feedback source: drops what a rolled-back execution wrote after the checkpoint the job was
 * restored from ({@link FeedbackLineage}), so the loop can be written at-least-once and read at once and the state
 * still only ever sees the history that the restored checkpoint continues.
 */
public class DropPhantoms extends AbstractStreamOperator<FeedbackMessage>
        implements OneInputStreamOperator<StampedFeedback, FeedbackMessage> {

    /** Union list state: every subtask gets the whole lineage back, whatever the parallelism. */
    static final ListStateDescriptor<String> LINEAGE = new ListStateDescriptor<>("feedback-lineage", String.class);

    private transient ListState<String> lineageState;
    private transient FeedbackLineage lineage;
    private transient Counter dropped;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        lineageState = context.getOperatorStateStore().getUnionListState(LINEAGE);
        lineage = FeedbackLineage.restore(lineageState.get(),
                StampFeedback.executionOf(getContainingTask().getEnvironment().getExecutionId()),
                context.getRestoredCheckpointId().orElse(0));
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            LOG.info("Feedback lineage (execution, restored from): {}", lineage);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        dropped = getRuntimeContext().getMetricGroup().counter("feedbackPhantomsDropped");
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // One copy is enough: union state hands it to every subtask.
        lineageState.update(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0 ? lineage.entries()
                : List.of());
    }

    @Override
    public void processElement(StreamRecord<StampedFeedback> element) {
        StampedFeedback m = element.getValue();
        if (lineage.admits(m.writer, m.epoch)) {
            output.collect(element.replace(m.message));
        } else {
            dropped.inc();
        }
    }
}
