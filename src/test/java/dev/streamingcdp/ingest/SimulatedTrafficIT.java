package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.simulator.JobInput;
import dev.streamingcdp.simulator.RecordKind.Outcome;
import dev.streamingcdp.simulator.SimulatedRecord;
import dev.streamingcdp.simulator.SimulationOptions;
import dev.streamingcdp.simulator.TrafficGenerator;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's realistic traffic through the real job: the job agrees with the simulator's own labels on every
 * record (valid, duplicate, or malformed with which reason). Guards both against drifting apart.
 */
class SimulatedTrafficIT {

    private static final int RECORDS = 5_000;

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void theJobAgreesWithTheSimulatorOnEveryRecord() throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "sim", checkpoints);
        KAFKA.createTopics(job);
        TrafficGenerator generator = new TrafficGenerator(
                SimulationOptions.defaults(Instant.parse("2026-11-23T08:00:00Z")), JobInput.of(job));
        List<TestPipelines.Input> inputs = new ArrayList<>();
        List<String> validIds = new ArrayList<>();
        Map<String, Integer> malformed = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            SimulatedRecord r = generator.next();
            inputs.add(new TestPipelines.Input(r.topic(), r.key(), r.value()));
            if (r.kind().outcome() == Outcome.VALID) {
                validIds.add(r.messageId());
            } else if (r.kind().outcome() == Outcome.MALFORMED) {
                malformed.merge(r.kind().reason().code(), 1, Integer::sum);
            }
        }
        assertThat(malformed.keySet()).as("the simulator sends every kind of bad record").hasSize(10);

        JobClient client = TestPipelines.start(job);
        try {
            TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
            String bootstrap = KAFKA.bootstrapServers();
            Duration timeout = Duration.ofSeconds(90);
            List<ConsumerRecord<byte[], byte[]>> events = TopicReader.readUntil(bootstrap,
                    job.topics().enriched().name(), r -> r.size() >= validIds.size(), timeout);
            int expectedDead = malformed.values().stream().mapToInt(Integer::intValue).sum();
            List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readUntil(bootstrap, job.topics().deadLetter(),
                    r -> r.size() >= expectedDead, timeout);

            assertThat(events.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)))
                    .containsExactlyInAnyOrderElementsOf(validIds);
            ObjectMapper json = new ObjectMapper();
            Map<String, Integer> reasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                reasons.merge(json.readTree(r.value()).get("reason").asText(), 1, Integer::sum);
            }
            assertThat(reasons).isEqualTo(malformed);
        } finally {
            client.cancel().get();
        }
    }
}
