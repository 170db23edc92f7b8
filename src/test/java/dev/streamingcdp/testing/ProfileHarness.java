package dev.streamingcdp.testing;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.profile.ProfileFunction;
import dev.streamingcdp.profile.ProfileLogic;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.avro.SegmentControl;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;

/** The profile operator in Flink's keyed broadcast harness, as the harness tests build it. */
public final class ProfileHarness {

    private ProfileHarness() {}

    /** Default trait policy, 1 s timer resolution. */
    public static KeyedBroadcastOperatorTestHarness<String, ProfileCommand, SegmentControl, ProfileUpdate> of(
            IdentityRules rules, SegmentCatalog catalog, Duration anonymousTtl) throws Exception {
        return of(new ProfileFunction(rules, new ProfileLogic(new JobDefinition.Profiles(null, null, anonymousTtl, null)),
                anonymousTtl, new ProfileSegments(catalog, Duration.ofSeconds(1))));
    }

    public static KeyedBroadcastOperatorTestHarness<String, ProfileCommand, SegmentControl, ProfileUpdate> of(
            ProfileFunction function) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function,
                ProfileCommand::getProfileId, Types.STRING, ProfileFunction.DEFINITIONS);
    }

    /** What the operator sent to {@code tag} so far (the harness has no queue until the first record). */
    public static <T> List<T> sideOutput(AbstractStreamOperatorTestHarness<?> h, OutputTag<T> tag) {
        Queue<StreamRecord<T>> records = h.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }
}
