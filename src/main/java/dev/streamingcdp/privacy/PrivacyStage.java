package dev.streamingcdp.privacy;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * GDPR requests: the request topic ► check ► suppression-list changes, broadcast to the suppression filter in
 * front of identity (together with the hashes an erasure finds, which come back over the identity feedback topic),
 * and erasures for the identity operator. Rejected requests go to the DLQ.
 */
public final class PrivacyStage {

    public static final String SOURCE_UID = "privacy-source";
    public static final String REQUESTS_UID = "privacy-requests";
    /** The suppression filter, in the ingest path before de-duplication (its broadcast state is the list). */
    public static final String SUPPRESS_UID = "privacy-suppress";

    public record Output(BroadcastStream<SuppressionUpdate> suppressions, DataStream<IdentityCommand> erasures,
            DataStream<DeadLetter> deadLetters) {}

    private PrivacyStage() {}

    /** {@code found}: suppressions the profile operator sends when an erasure learns all her identifiers. */
    public static Output build(StreamExecutionEnvironment env, JobDefinition job, DataStream<SuppressionUpdate> found) {
        JobDefinition.Ingest ingest = job.ingest();
        SingleOutputStreamOperator<SuppressionUpdate> requests = env
                .fromSource(PrivacyRequestTopic.source(job), PrivacyRequestTopic.watermarks(),
                        "privacy: requests " + job.topics().privacyRequests())
                .uid(SOURCE_UID)
                .setParallelism(1) // one partition: an idle second reader would hold the watermark back
                .process(new PrivacyRequestFunction(
                        EventNormalizer.of(ingest),
                        Suppressions.of(job.privacy())))
                .uid(REQUESTS_UID).name("privacy: check requests")
                .setParallelism(1);
        return new Output(requests.union(found).broadcast(SuppressionFilter.SUPPRESSED),
                requests.getSideOutput(PrivacyRequestFunction.ERASURES), requests.getSideOutput(DeadLetters.TAG));
    }

    /** Events without a suppressed identifier go on; the others become dead letters (side output). */
    public static SingleOutputStreamOperator<CdpEvent> filter(DataStream<CdpEvent> events,
            BroadcastStream<SuppressionUpdate> suppressions, JobDefinition job) {
        return events.connect(suppressions)
                .process(new SuppressionFilter(Suppressions.of(job.privacy())))
                .uid(SUPPRESS_UID).name("privacy: drop events of suppressed identifiers");
    }
}
