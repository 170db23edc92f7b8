package dev.streamingcdp.job;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.ingest.CdpEventJson;
import dev.streamingcdp.ingest.CountDeadLetters;
import dev.streamingcdp.ingest.DeadLetterJson;
import dev.streamingcdp.ingest.IngestStage;
import dev.streamingcdp.kafka.KafkaIO;
import dev.streamingcdp.kafka.KeyedJsonSerializer;
import java.time.Instant;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Assembles the whole pipeline from a job definition: the stages in order, and their Kafka outputs. */
public final class CdpJob {

    public static final String DEAD_LETTER_COUNT_UID = "dead-letter-count";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";
    public static final String ENRICHED_SINK_UID = "enriched-events-sink";

    private CdpJob() {}

    public static void build(StreamExecutionEnvironment env, JobDefinition job) {
        IngestStage.Output ingest = IngestStage.build(env, job);

        String dlq = job.topics().deadLetter();
        ingest.deadLetters()
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
