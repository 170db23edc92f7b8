package dev.streamingcdp.identity;

import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.ProfileCommand;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Feedback for the identity operator goes on as the main output; feedback for profiles as a side output. */
public class SplitFeedback extends ProcessFunction<FeedbackMessage, IdentityCommand> {

    public static final OutputTag<ProfileCommand> TO_PROFILES =
            new OutputTag<>("to-profiles", new AvroTypeInfo<>(ProfileCommand.class));

    @Override
    public void processElement(FeedbackMessage m, Context ctx, Collector<IdentityCommand> out) {
        if (m.getCommand() instanceof IdentityCommand i) {
            out.collect(i);
        } else {
            ctx.output(TO_PROFILES, (ProfileCommand) m.getCommand());
        }
    }
}
