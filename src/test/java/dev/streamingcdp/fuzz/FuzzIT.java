package dev.streamingcdp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7.3: at least 100 000 mutated and random inputs through the real job (retail demo, MiniCluster, RocksDB,
 * in-JVM Kafka). Every input is accounted for by its source offset: exactly one enriched event or exactly one dead
 * letter with a reason, or nothing for a deliberate re-send; every good event arrives; the job never restarts.
 * {@code -Dfuzz.inputs=N -Dfuzz.seed=S} (bin/fuzz) change the run; the figures go to stdout and
 * target/fuzz-report.txt.
 */
class FuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", 20261123L);
    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 100_000);
    /** Only reached when inputs go missing; generous, as a machine shared with other builds can be very slow. */
    private static final Duration TIMEOUT = Duration.ofSeconds(Math.max(600, INPUTS / 20));

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void everyInputIsAccountedForAndTheJobNeverRestarts() throws Exception {
        String rerun = "seed " + SEED + " (rerun: bin/fuzz --seed " + SEED + " --inputs " + INPUTS + ")";
        System.out.println("FuzzIT: " + rerun);
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "fuzz", checkpoints);
        KAFKA.createTopics(job);
        long start = System.nanoTime();
        List<FuzzInput> inputs = new FuzzGenerator(SEED, job).generate(INPUTS);
        long generated = System.nanoTime();
        int expected = (int) inputs.stream().filter(i -> i.mutation() != Mutation.DUPLICATE).count();

        // the shipped identity rules: their per-profile limits are part of what keeps a profile bounded
        JobClient client = TestPipelines.start(job, IdentityRules.load(Path.of("jobs/retail-demo")));
        try (JobHealth health = new JobHealth(client, FLINK.getClientConfiguration())) {
            List<RecordMetadata> written = TestPipelines.produce(KAFKA.bootstrapServers(),
                    inputs.stream().map(FuzzInput::toInput).toList());
            long produced = System.nanoTime();
            Outcomes outcomes = Outcomes.read(KAFKA.bootstrapServers(), job.topics().enriched().name(),
                    job.topics().deadLetter(), expected, Duration.ofSeconds(3), TIMEOUT);
            long accounted = System.nanoTime();
            long restarts = health.restarts();

            FuzzReport report = new FuzzReport(SEED, INPUTS);
            List<String> wrong = new ArrayList<>();
            Map<String, List<String>> unclaimed = new HashMap<>(outcomes.bySource);
            for (int i = 0; i < inputs.size(); i++) {
                RecordMetadata at = written.get(i);
                String source = Outcomes.source(at.topic(), at.partition(), at.offset());
                List<String> seen = unclaimed.remove(source);
                seen = seen == null ? List.of() : seen;
                report.add(inputs.get(i).mutation(), seen);
                if (!accountedFor(inputs.get(i).mutation(), seen)) {
                    wrong.add(inputs.get(i).mutation() + " input at " + source + " -> " + seen);
                }
            }
            String figures = report.format(seconds(start, generated), seconds(generated, produced),
                    seconds(generated, accounted), restarts);
            System.out.println(figures);
            Files.writeString(Path.of("target", "fuzz-report.txt"), figures);

            assertThat(wrong.subList(0, Math.min(wrong.size(), 20)))
                    .as("inputs not accounted for exactly once (%d, the first 20 shown), %s", wrong.size(), rerun)
                    .isEmpty();
            assertThat(unclaimed.keySet()).as("outputs for records that were not inputs, " + rerun).isEmpty();
            assertThat(outcomes.inconsistentKeys).as("dead-letter keys naming another source, " + rerun).isEmpty();
            assertThat(restarts).as("job restarts, failures: " + health.exceptionHistory() + ", " + rerun)
                    .isZero();
            assertThat(health.exceptionHistory()).as("job failures, " + rerun).isEmpty();
            assertThat(health.statusesSeen()).as("job statuses, " + rerun)
                    .isSubsetOf(JobStatus.INITIALIZING, JobStatus.CREATED, JobStatus.RUNNING)
                    .contains(JobStatus.RUNNING);
            assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            client.cancel().get();
        }
    }

    /** GOOD: one enriched event; DUPLICATE: nothing; any other: one enriched event or one reasoned dead letter. */
    private static boolean accountedFor(Mutation m, List<String> seen) {
        return switch (m.expect) {
            case ENRICHED -> seen.equals(List.of(Outcomes.ENRICHED));
            case DROPPED -> seen.isEmpty();
            case ONE_OUTCOME -> seen.size() == 1 && !seen.get(0).isBlank();
        };
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
