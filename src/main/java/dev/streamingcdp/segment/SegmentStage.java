package dev.streamingcdp.segment;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.segment.avro.SegmentControl;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Run-time segment changes: the control topic ► check (keyed by segment id) ► broadcast to the profile operator,
 * which evaluates them. Rejected control records go to the DLQ.
 */
public final class SegmentStage {

    public static final String CONTROL_SOURCE_UID = "segment-control-source";
    public static final String CONTROL_CHECK_UID = "segment-control-check";

    /** {@code definitions}: accepted control records, for every profile subtask (broadcast). */
    public record Output(DataStream<SegmentControl> definitions, DataStream<DeadLetter> deadLetters) {}

    private SegmentStage() {}

    /** {@code destinations}: the names a segment may feed. */
    public static Output build(StreamExecutionEnvironment env, JobDefinition job, SegmentCatalog catalog,
            Set<String> destinations) {
        SingleOutputStreamOperator<SegmentControl> accepted = env
                .fromSource(SegmentControlTopic.source(job), SegmentControlTopic.watermarks(),
                        "segments: control " + job.topics().segmentControl())
                .uid(CONTROL_SOURCE_UID)
                .setParallelism(1) // one partition: an idle second reader would hold the watermark back
                .keyBy(SegmentControlFunction::key)
                .process(new SegmentControlFunction(catalog, destinations))
                .uid(CONTROL_CHECK_UID).name("segments: check definitions");
        return new Output(accepted.broadcast(), accepted.getSideOutput(DeadLetters.TAG));
    }
}
