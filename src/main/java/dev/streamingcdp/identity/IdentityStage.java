package dev.streamingcdp.identity;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.LinkRejection;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.profile.ProfileLogic;
import java.time.Duration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Unify: events ► route to the strongest identifier ► identity (keyed by identifier) ► profile (keyed by profile id),
 * with the feedback topic closing the loop for claims, merges and redirects. The profile operator also evaluates
 * segments, with the definitions broadcast to it.
 */
public final class IdentityStage {

    public static final String ROUTE_UID = "identity-route";
    public static final String FEEDBACK_SOURCE_UID = "identity-feedback-source";
    public static final String FEEDBACK_FILTER_UID = "identity-feedback-drop-phantoms";
    public static final String FEEDBACK_SPLIT_UID = "identity-feedback-split";
    public static final String RESOLVE_UID = "identity-resolve";
    public static final String PROFILE_UID = "profile-unify";
    public static final String FEEDBACK_STAMP_UID = "identity-feedback-stamp";
    public static final String FEEDBACK_SINK_UID = "identity-feedback-sink";

    /**
     * Profile changes for the profile topic; segment changes; activation inputs; rejected links; events with
     * nothing to link and events that reached an erased profile or identifier.
     */
    public record Output(DataStream<ProfileUpdate> profiles, DataStream<SegmentChange> segmentChanges,
            DataStream<ActivationInput> activation, DataStream<LinkRejection> rejectedLinks,
            DataStream<DeadLetter> deadLetters) {}

    private IdentityStage() {}

    /**
     * The feedback topic, split: commands for the identity operator (main output), for profiles
     * ({@link SplitFeedback#TO_PROFILES}) and suppressions for the privacy stage ({@link SplitFeedback#SUPPRESSIONS}).
     * Built before the rest because the privacy stage in front of identity needs it.
     */
    public static SingleOutputStreamOperator<IdentityCommand> feedback(StreamExecutionEnvironment env,
            JobDefinition job) {
        return env
                .fromSource(FeedbackTopic.source(job), FeedbackTopic.watermarks(),
                        "identity: feedback " + job.topics().identityFeedback())
                .uid(FEEDBACK_SOURCE_UID)
                .transform("identity: drop phantom feedback", new AvroTypeInfo<>(FeedbackMessage.class),
                        new DropPhantoms())
                .uid(FEEDBACK_FILTER_UID).name("identity: drop phantom feedback")
                .process(new SplitFeedback())
                .uid(FEEDBACK_SPLIT_UID).name("identity: split feedback");
    }

    /**
     * Hot profiles kept in the profile operator between flushes. EXACTLY_ONCE flushes at checkpoints only (its
     * output is visible at checkpoints anyway); AT_LEAST_ONCE also every {@code profiles.flushInterval}.
     */
    static ProfileOperator.CacheSettings cacheSettings(JobDefinition job) {
        return new ProfileOperator.CacheSettings(job.profiles().cacheSize(),
                job.delivery() == JobDefinition.DeliveryGuarantee.AT_LEAST_ONCE ? job.profiles().flushInterval()
                        : Duration.ZERO);
    }

    /** {@code erasures}: privacy requests for the identity operator, keyed by the identifier they name. */
    public static Output build(StreamExecutionEnvironment env, JobDefinition job, IdentityRules rules,
            DataStream<CdpEvent> events, SingleOutputStreamOperator<IdentityCommand> feedback,
            DataStream<IdentityCommand> erasures, DataStream<SegmentControl> definitions,
            ProfileSegments segments) {
        SingleOutputStreamOperator<IdentityCommand> routed = events
                .process(new RouteToAnchor(rules))
                .uid(ROUTE_UID).name("identity: drop blocked ids, route to the strongest");

        SingleOutputStreamOperator<ProfileCommand> atProfiles = routed.union(feedback, erasures)
                .keyBy(IdentityCommand::getKey)
                .process(new IdentityFunction(rules, job.privacy().erasureGrace()))
                .uid(RESOLVE_UID).name("identity: resolve identifiers");
        SingleOutputStreamOperator<ProfileUpdate> profiles = atProfiles
                .union(feedback.getSideOutput(SplitFeedback.TO_PROFILES))
                .keyBy(ProfileCommand::getProfileId)
                .connect(definitions)
                .transform("profile: unify, merge, evaluate segments", new AvroTypeInfo<>(ProfileUpdate.class),
                        new ProfileOperator(rules, new ProfileLogic(job.profiles()), job.profiles().anonymousTtl(),
                                segments, Suppressions.of(job.privacy()), cacheSettings(job)))
                .uid(PROFILE_UID).name("profile: unify, merge, evaluate segments");

        profiles.getSideOutput(ProfileOperator.FEEDBACK)
                .transform("identity: stamp feedback", FeedbackTopic.TYPE, new StampFeedback())
                .uid(FEEDBACK_STAMP_UID).name("identity: stamp feedback")
                .sinkTo(FeedbackTopic.sink(job))
                .uid(FEEDBACK_SINK_UID).name("identity: feedback " + job.topics().identityFeedback());

        return new Output(profiles, profiles.getSideOutput(ProfileOperator.SEGMENT_CHANGES),
                profiles.getSideOutput(ProfileOperator.ACTIVATION),
                routed.getSideOutput(ProfileOperator.REJECTED_LINKS)
                        .union(profiles.getSideOutput(ProfileOperator.REJECTED_LINKS)),
                routed.getSideOutput(DeadLetters.TAG).union(atProfiles.getSideOutput(DeadLetters.TAG),
                        profiles.getSideOutput(DeadLetters.TAG)));
    }
}
