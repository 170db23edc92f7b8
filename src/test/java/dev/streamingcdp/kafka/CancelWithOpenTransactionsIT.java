package dev.streamingcdp.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TestPipelines.Input;
import dev.streamingcdp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling the exactly-once job while its Kafka sinks hold open transactions (traffic flowing, checkpoints every
 * 500 ms) ends within a bound, every time: the sinks' close aborts those transactions, and an abort that cannot
 * finish at once must not hold the cancel for a minute per sink (the producer's default max.block.ms).
 */
class CancelWithOpenTransactionsIT {

    private static final int CANCELS = 3;
    private static final Duration BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void cancellingWithTransactionsInFlightEndsWithinTheBound() throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "cancel", checkpoints);
        assertThat(job.delivery()).isEqualTo(JobDefinition.DeliveryGuarantee.EXACTLY_ONCE);
        KAFKA.createTopics(job);
        String events = job.topics().events().stream()
                .filter(t -> t.format() == JobDefinition.Format.JSON).findFirst().orElseThrow().name();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread traffic = new Thread(() -> send(events, sending), "traffic");
        traffic.start();
        List<Long> cancelMillis = new ArrayList<>();
        try {
            for (int round = 0; round < CANCELS; round++) {
                int before = TopicReader.readAll(KAFKA.bootstrapServers(), job.topics().enriched().name(),
                        Duration.ofMillis(500)).size();
                JobClient client = TestPipelines.start(job);
                // a committed transaction: the sinks run and the next ones are open with records in them
                TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().enriched().name(),
                        r -> r.size() > before, Duration.ofSeconds(90));
                Thread.sleep(300);
                long start = System.nanoTime();
                client.cancel().get();
                while (client.getJobStatus().get() != JobStatus.CANCELED) {
                    Thread.sleep(50);
                }
                cancelMillis.add((System.nanoTime() - start) / 1_000_000);
            }
        } finally {
            sending.set(false);
            traffic.join();
        }
        System.out.println("cancel took (ms): " + cancelMillis);
        assertThat(cancelMillis).as("ms per cancel").allSatisfy(ms -> assertThat(ms).isLessThan(BOUND.toMillis()));
    }

    /** Small batches of valid events, so that every checkpoint's transactions carry records. */
    private static void send(String topic, AtomicBoolean sending) {
        for (int batch = 0; sending.get(); batch++) {
            List<Input> inputs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "c-" + batch + "-" + i;
                inputs.add(new Input(topic, "anon-" + i, ("{\"type\":\"track\",\"messageId\":\"" + id
                        + "\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"anonymousId\":\"anon-" + i
                        + "\",\"event\":\"Viewed\"}").getBytes(StandardCharsets.UTF_8)));
            }
            TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
