package dev.streamingcdp.identity;

import dev.streamingcdp.identity.avro.FeedbackMessage;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Stamps each feedback message with this execution and the last checkpoint it passed, for {@link DropPhantoms}.
 * Chained behind the profile operator, it sees messages and barriers in the order they were made: whatever the
 * profile operator sends before a barrier (also from its pre-barrier flush) carries the previous epoch and is flushed
 * to Kafka by the sink before the checkpoint completes.
 */
public class StampFeedback extends AbstractStreamOperator<StampedFeedback>
        implements OneInputStreamOperator<FeedbackMessage, StampedFeedback> {

    private transient String execution;
    private transient long epoch;

    /**
     * One execution of the job: its execution graph (new for every JobMaster and every adaptive-scheduler restart)
     * and attempt (one more for every failover). The job is one pipelined region (JobGraphRegionTest), so a
     * failover restarts every task and the stamping and filtering tasks agree on it. The graph id has no getter; it
     * leads the attempt id's text (graph_vertex_subtask_attempt), which StampFeedbackTest pins.
     */
    static String executionOf(ExecutionAttemptID attempt) {
        String text = attempt.toString();
        return text.substring(0, text.indexOf('_')) + "/" + attempt.getAttemptNumber();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        execution = executionOf(getContainingTask().getEnvironment().getExecutionId());
        epoch = context.getRestoredCheckpointId().orElse(0);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        epoch = context.getCheckpointId();
    }

    @Override
    public void processElement(StreamRecord<FeedbackMessage> element) {
        output.collect(element.replace(new StampedFeedback(execution, epoch, element.getValue())));
    }
}
