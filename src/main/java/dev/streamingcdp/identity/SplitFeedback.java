package dev.streamingcdp.identity;

import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Feedback for the identity operator goes on as the main output; feedback for profiles as a side output, and so
 * do suppressions an erasure found (for the suppression filter).
 */
public class SplitFeedback extends ProcessFunction<FeedbackMessage, IdentityCommand> {

    public static final OutputTag<ProfileCommand> TO_PROFILES =
            new OutputTag<>("to-profiles", new AvroTypeInfo<>(ProfileCommand.class));
    public static final OutputTag<SuppressionUpdate> SUPPRESSIONS =
            new OutputTag<>("suppressions", new AvroTypeInfo<>(SuppressionUpdate.class));

    @Override
    public void processElement(FeedbackMessage m, Context ctx, Collector<IdentityCommand> out) {
        if (m.getCommand() instanceof IdentityCommand i) {
            out.collect(i);
        } else if (m.getCommand() instanceof ProfileCommand p) {
            ctx.output(TO_PROFILES, p);
        } else {
            ctx.output(SUPPRESSIONS, (SuppressionUpdate) m.getCommand());
        }
    }
}
