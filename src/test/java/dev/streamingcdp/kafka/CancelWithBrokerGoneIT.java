package dev.streamingcdp.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worst case of a close: the exactly-once job is cancelled while its broker does not answer, so no sink's abort
 * of its open transaction (EndTxn) can complete. The cancel still ends within the sinks' bounded blocking time
 * ({@link KafkaIO#SINK_MAX_BLOCK} per sink of a task), not Kafka's default minute per sink.
 */
class CancelWithBrokerGoneIT {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void aCancelWhileTheBrokerIsGoneEndsWithinTheBound() throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "gone", checkpoints);
        KAFKA.createTopics(job);
        String events = job.topics().events().stream()
                .filter(t -> t.format() == JobDefinition.Format.JSON).findFirst().orElseThrow().name();
        JobClient client = TestPipelines.start(job);
        List<TestPipelines.Input> inputs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            inputs.add(new TestPipelines.Input(events, "a" + i, ("{\"type\":\"track\",\"messageId\":\"g-" + i
                    + "\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"anonymousId\":\"a" + i
                    + "\",\"event\":\"Viewed\"}").getBytes(StandardCharsets.UTF_8)));
        }
        TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
        TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().enriched().name(), r -> !r.isEmpty(),
                Duration.ofSeconds(90));
        TestPipelines.produce(KAFKA.bootstrapServers(), inputs.stream().limit(50) // new ids: open transactions
                .map(i -> new TestPipelines.Input(i.topic(), i.key(), new String(i.value(), StandardCharsets.UTF_8)
                        .replace("\"g-", "\"h-").getBytes(StandardCharsets.UTF_8))).toList());

        KAFKA.stopBroker();
        long start = System.nanoTime();
        client.cancel().get();
        while (client.getJobStatus().get() != JobStatus.CANCELED) {
            Thread.sleep(100);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("cancel with the broker gone took " + millis + " ms");
        assertThat(millis).as("ms to cancel").isLessThan(BOUND.toMillis());
    }
}
