package dev.streamingcdp.job;

import dev.streamingcdp.activation.ActivationStage;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.IdentityStage;
import dev.streamingcdp.identity.LinkRejectionJson;
import dev.streamingcdp.identity.SplitFeedback;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.profile.ProfileUpdates;
import dev.streamingcdp.ingest.CdpEventJson;
import dev.streamingcdp.ingest.CountDeadLetters;
import dev.streamingcdp.ingest.DeadLetterJson;
import dev.streamingcdp.ingest.IngestStage;
import dev.streamingcdp.kafka.KafkaIO;
import dev.streamingcdp.kafka.KeyedJsonSerializer;
import dev.streamingcdp.privacy.PrivacyStage;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.SegmentChangeJson;
import dev.streamingcdp.segment.SegmentStage;
import dev.streamingcdp.store.ProfileStore;
import java.time.Instant;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Assembles the whole pipeline from a job definition: the stages in order, and their Kafka outputs. */
public final class CdpJob {

    public static final String DEAD_LETTER_COUNT_UID = "dead-letter-count";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";
    public static final String ENRICHED_SINK_UID = "enriched-events-sink";
    public static final String PROFILE_SINK_UID = "profile-sink";
    public static final String AUDIT_SINK_UID = "identity-audit-sink";
    public static final String SEGMENT_CHANGES_SINK_UID = "segment-changes-sink";

    private CdpJob() {}

    public static void build(StreamExecutionEnvironment env, JobDefinition job, IdentityRules rules,
            SegmentCatalog catalog, Destinations destinations) {
        SingleOutputStreamOperator<IdentityCommand> feedback = IdentityStage.feedback(env, job);
        PrivacyStage.Output privacy = PrivacyStage.build(env, job,
                feedback.getSideOutput(SplitFeedback.SUPPRESSIONS));
        IngestStage.Output ingest = IngestStage.build(env, job, rules, privacy.suppressions());
        SegmentStage.Output control = SegmentStage.build(env, job, catalog, destinations.destinations().stream()
                .map(Destinations.Destination::name).collect(Collectors.toSet()));
        IdentityStage.Output identity = IdentityStage.build(env, job, rules, ingest.events(), feedback,
                privacy.erasures(), control.definitions(),
                new ProfileSegments(catalog, job.segments()));

        ActivationStage.build(job, destinations, identity.activation());

        String changes = job.topics().segmentChanges();
        identity.segmentChanges()
                .sinkTo(KafkaIO.sink(job, "segment-changes", new KeyedJsonSerializer<>(changes,
                        SegmentChangeJson::key, c -> SegmentChangeJson.value(c, Instant.now()))))
                .uid(SEGMENT_CHANGES_SINK_UID).name("segment changes: Kafka " + changes);

        String profiles = job.topics().profiles();
        identity.profiles()
                .sinkTo(KafkaIO.sink(job, "profiles", new KeyedJsonSerializer<>(profiles,
                        ProfileUpdates::key, ProfileUpdates::value)))
                .uid(PROFILE_SINK_UID).name("profiles: Kafka " + profiles);
        ProfileStore.attach(job.store(), identity.profiles(), identity.segmentChanges());

        String audit = job.topics().identityAudit();
        identity.rejectedLinks()
                .sinkTo(KafkaIO.sink(job, "identity-audit", new KeyedJsonSerializer<>(audit,
                        LinkRejectionJson::key, LinkRejectionJson::value)))
                .uid(AUDIT_SINK_UID).name("identity audit: Kafka " + audit);

        String dlq = job.topics().deadLetter();
        ingest.deadLetters().union(identity.deadLetters(), control.deadLetters(), privacy.deadLetters())
                .map(new CountDeadLetters()).uid(DEAD_LETTER_COUNT_UID).name("dead-letter: count by reason")
                .sinkTo(KafkaIO.sink(job, "dead-letter", new KeyedJsonSerializer<>(dlq,
                        DeadLetterJson::key, d -> DeadLetterJson.value(d, Instant.now()))))
                .uid(DEAD_LETTER_SINK_UID).name("dead-letter: Kafka " + dlq);

        if (job.topics().enrichedEnabled()) {
            String enriched = job.topics().enriched().name();
            ingest.events()
                    .sinkTo(KafkaIO.sink(job, "enriched", new KeyedJsonSerializer<>(enriched,
                            CdpEventJson::key, CdpEventJson::value)))
                    .uid(ENRICHED_SINK_UID).name("enriched events: Kafka " + enriched);
        }
    }
}
