package dev.streamingcdp.ingest;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.ingest.avro.IngestRecord;
import dev.streamingcdp.kafka.KafkaIO;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.privacy.PrivacyStage;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Collect: read + decode ► validate ► normalise ► drop suppressed ► de-duplicate, with every rejection on one
 * dead-letter stream. Suppression comes before de-duplication so that a replay of an erased person's events is
 * reported as suppressed, not silently dropped as a repeat.
 */
public final class IngestStage {

    /** Operator uids: savepoints and the State Processor API find state by them, so they never change. */
    public static final String SOURCE_UID = "ingest-source";
    public static final String VALIDATE_UID = "ingest-validate";
    public static final String NORMALIZE_UID = "ingest-normalize";
    public static final String DEDUPLICATE_UID = "ingest-deduplicate";

    /** The stage's two outputs: distinct valid events, and rejected records. */
    public record Output(DataStream<CdpEvent> events, DataStream<DeadLetter> deadLetters) {}

    private IngestStage() {}

    /** {@code rules}: their blocked values and patterns apply where identifiers are gathered (normalise). */
    public static Output build(StreamExecutionEnvironment env, JobDefinition job, IdentityRules rules,
            BroadcastStream<SuppressionUpdate> suppressions) {
        JobDefinition.Ingest ingest = job.ingest();
        Map<String, JobDefinition.Format> formats = job.topics().events().stream()
                .collect(Collectors.toMap(JobDefinition.InputTopic::name, JobDefinition.InputTopic::format));
        KafkaSource<IngestRecord> source = KafkaIO.configure(KafkaSource.<IngestRecord>builder(), job)
                .setTopics(formats.keySet().stream().sorted().toList())
                .setDeserializer(new IngestDeserializer(formats, ingest.maxPayloadBytes()))
                .build();
        WatermarkStrategy<IngestRecord> watermarks = WatermarkStrategy
                .<IngestRecord>forBoundedOutOfOrderness(ingest.watermarks().outOfOrderness())
                .withTimestampAssigner(new EventTimeAssigner(ingest.maxTimestampAhead()))
                .withIdleness(ingest.watermarks().idleness());

        SingleOutputStreamOperator<IngestRecord> valid = env
                .fromSource(source, watermarks, "ingest: read + decode " + String.join(", ", formats.keySet()))
                .uid(SOURCE_UID)
                .process(new ValidateFunction())
                .uid(VALIDATE_UID).name("ingest: validate");
        SingleOutputStreamOperator<CdpEvent> normalized = valid
                .process(new NormalizeFunction(EventNormalizer.of(ingest, rules)))
                .uid(NORMALIZE_UID).name("ingest: normalise");
        SingleOutputStreamOperator<CdpEvent> admitted = PrivacyStage.filter(normalized, suppressions, job);
        SingleOutputStreamOperator<CdpEvent> distinct = admitted
                .keyBy(DeduplicateFunction::key)
                .process(new DeduplicateFunction(ingest.dedupHorizon()))
                .uid(DEDUPLICATE_UID).name("ingest: de-duplicate by messageId");

        DataStream<DeadLetter> deadLetters = valid.getSideOutput(DeadLetters.TAG)
                .union(normalized.getSideOutput(DeadLetters.TAG), admitted.getSideOutput(DeadLetters.TAG));
        return new Output(distinct, deadLetters);
    }
}
