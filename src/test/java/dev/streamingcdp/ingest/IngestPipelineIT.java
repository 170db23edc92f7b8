package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingestion stage on a real broker and a real Flink MiniCluster with RocksDB: every input ends either as exactly
 * one enriched event or as a dead letter with its reason, also across a TaskManager crash (read_committed).
 */
class IngestPipelineIT {

    private static final int PER_TYPE = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void everyRecordEndsAsOneEventOrOneDeadLetter() throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "plain", checkpoints);
        KAFKA.createTopics(job);
        IngestDataset data = new IngestDataset(job, PER_TYPE);
        JobClient client = TestPipelines.start(job);
        try {
            TestPipelines.produce(KAFKA.bootstrapServers(), data.inputs);
            assertOutput(job, data);
        } finally {
            client.cancel().get();
        }
    }

    @Test
    void aTaskManagerCrashLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "crash", checkpoints);
        KAFKA.createTopics(job);
        IngestDataset data = new IngestDataset(job, PER_TYPE);
        int half = data.inputs.size() / 2;
        JobClient client = TestPipelines.start(job);
        try {
            TestPipelines.produce(KAFKA.bootstrapServers(), data.inputs.subList(0, half));
            // Something committed means a checkpoint completed: the crash then rolls back to real state.
            TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().enriched().name(),
                    r -> !r.isEmpty(), TIMEOUT);
            TestPipelines.produce(KAFKA.bootstrapServers(), data.inputs.subList(half, data.inputs.size()));
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();

            assertOutput(job, data);
            assertThat(cluster.getExecutionGraph(client.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job went through a restart").isPositive();
        } finally {
            client.cancel().get();
        }
    }

    private void assertOutput(JobDefinition job, IngestDataset data) throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<ConsumerRecord<byte[], byte[]>> events = TopicReader.readUntil(bootstrap,
                job.topics().enriched().name(), r -> r.size() >= data.validMessageIds.size(), TIMEOUT);
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readUntil(bootstrap, job.topics().deadLetter(),
                r -> r.size() >= data.expectedDeadLetters(), TIMEOUT);
        // Let any straggler (a duplicate) arrive before counting exactly: two more checkpoints.
        events = TopicReader.readUntil(bootstrap, job.topics().enriched().name(),
                r -> r.size() > data.validMessageIds.size(), Duration.ofSeconds(3));
        dead = TopicReader.readUntil(bootstrap, job.topics().deadLetter(),
                r -> r.size() > data.expectedDeadLetters(), Duration.ofSeconds(3));

        List<String> ids = events.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(data.validMessageIds);

        Map<String, Integer> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            JsonNode d = IngestDataset.JSON.readTree(r.value());
            reasons.merge(d.get("reason").asText(), 1, Integer::sum);
            assertThat(d.get("detail").asText()).isNotBlank();
            assertThat(d.at("/source/topic").asText())
                    .isIn(job.topics().events().stream().map(JobDefinition.InputTopic::name).toList());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(d.at("/source/topic").asText() + ":"
                    + d.at("/source/partition").asInt() + ":" + d.at("/source/offset").asLong());
            if (d.get("reason").asText().equals("bad_utf8")) {
                byte[] raw = Base64.getDecoder().decode(d.get("payloadBase64").asText());
                assertThat(raw).startsWith(data.badUtf8);
            } else {
                assertThat(d.has("payload")).isTrue();
            }
        }
        assertThat(reasons).isEqualTo(data.expectedReasons);

        JsonNode contact = events.stream().map(r -> read(r.value()))
                .filter(e -> e.at("/traits/email").asText().equals("jane.doe0@example.com")).findFirst().orElseThrow();
        assertThat(contact.get("identifiers").toString())
                .contains("{\"namespace\":\"email\",\"value\":\"jane.doe0@example.com\"}")
                .contains("{\"namespace\":\"phone\",\"value\":\"+14155552671\"}");
        JsonNode avro = events.stream().map(r -> read(r.value()))
                .filter(e -> e.get("messageId").asText().equals("avro-0")).findFirst().orElseThrow();
        assertThat(avro.get("eventTime").asText()).isEqualTo("2026-11-23T09:00:00Z");
    }

    private static JsonNode read(byte[] value) {
        try {
            return IngestDataset.JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
