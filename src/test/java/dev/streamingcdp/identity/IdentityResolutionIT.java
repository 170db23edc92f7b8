package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityScenario.ExpectedProfile;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The identity property (ARCHITECTURE.md, "Identity semantics"): without identity rules, the profiles at rest are
 * exactly the connected components of the link graph, each under the id derived from its strongest identifier and
 * counting each of its events once — whatever the order of the events, the parallelism, or a TaskManager crash.
 * Judged against {@link UnionFind} over a random identity graph ({@link IdentityScenario}).
 *
 * <p>To reproduce or resize a case:
 * {@code -Didentity.seed=... -Didentity.identifiers=... -Didentity.events=... -Didentity.timeoutSeconds=...}.
 */
class IdentityResolutionIT {

    private static final long SEED = Long.getLong("identity.seed", 20261123L);
    // Sized for about 30 s per case on 2 cores: chains of up to 25 links make merges cascade through the feedback loop.
    private static final int IDENTIFIERS = Integer.getInteger("identity.identifiers", 2_000);
    private static final int EVENTS = Integer.getInteger("identity.events", 1_500);
    private static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("identity.timeoutSeconds", 120));
    /** After rest is reached, wait this long for stragglers (a late duplicate would change a count). */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final int SHOWN = 20;

    /** The same graph for every case; only the order of its events differs. */
    private static final IdentityScenario SCENARIO = IdentityScenario.generate(SEED, IDENTIFIERS, EVENTS);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(4);

    /**
     * The index of the running TaskManager in the shared MiniCluster: it keeps terminated TaskManagers in its list
     * and appends restarted ones, so after a crash case the live one is the next index, not 0.
     */
    private static int liveTaskManager;

    @TempDir
    static Path checkpoints;

    static Stream<Arguments> cases() {
        return Stream.of(false, true).flatMap(crash -> Stream.of(1, 2, 4).map(p -> Arguments.of(p, crash)));
    }

    @ParameterizedTest(name = "parallelism {0}, TaskManager killed midway: {1}")
    @MethodSource("cases")
    void profilesAtRestAreExactlyTheComponents(int parallelism, boolean crash, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String name = "identity-p" + parallelism + (crash ? "-crash" : "");
        JobDefinition job = withParallelism(TestJobs.retailDemo(KAFKA.bootstrapServers(), name, checkpoints),
                parallelism);
        KAFKA.createTopics(job);
        List<ScenarioEvent> order = SCENARIO.eventsInOrder(SEED * 31 + parallelism * 2L + (crash ? 1 : 0));
        List<TestPipelines.Input> inputs = order.stream()
                .map(e -> new TestPipelines.Input(jsonTopic(job), e.messageId(), e.json())).toList();
        String profiles = job.topics().profiles();

        long started = System.nanoTime();
        JobClient client = TestPipelines.start(job);
        try {
            if (crash) {
                int half = inputs.size() / 2;
                TestPipelines.produce(KAFKA.bootstrapServers(), inputs.subList(0, half));
                // Something committed means a checkpoint completed: the crash then rolls back to real state.
                assertThat(TopicReader.readUntil(KAFKA.bootstrapServers(), profiles, r -> !r.isEmpty(), TIMEOUT))
                        .as("profile records within %s of the first half of the events", TIMEOUT).isNotEmpty();
                TestPipelines.produce(KAFKA.bootstrapServers(), inputs.subList(half, inputs.size()));
                cluster.terminateTaskManager(liveTaskManager).get();
                cluster.startTaskManager();
                liveTaskManager++;
                // Else a fast job could be "at rest" on pre-crash output alone, and a double count after the
                // restart would land only after the settle time.
                awaitCheckpointAfterRestart(cluster, client);
            } else {
                TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
            }

            Map<String, ExpectedProfile> expected = SCENARIO.expectedProfiles();
            boolean atRest = awaitRest(profiles, expected);
            double seconds = (System.nanoTime() - started) / 1e9;
            ProfileTopicView settled = ProfileTopicView.read(KAFKA.bootstrapServers(), profiles, SETTLE);
            System.out.printf(Locale.ROOT, "IdentityResolutionIT %s: %s, %d merges implied by this order, "
                    + "%s after %.1f s from job start, %d profile records%n", name, SCENARIO.describe(),
                    IdentityScenario.mergesImplied(order), atRest ? "at rest" : "NOT at rest", seconds,
                    settled.records());

            // All kinds of difference in one failure: a case takes long enough that one run should tell everything.
            AtRestComparison c = AtRestComparison.of(expected, settled.atRest());
            StringBuilder report = new StringBuilder();
            section(report, "records breaking the profile topic's contract", settled.anomalies());
            section(report, "identifiers in more than one profile", c.sharedIdentifiers());
            section(report, "component mismatches (a profile that is not exactly one component, or a component "
                    + "not at rest as one profile)", c.wrongComponents());
            section(report, "profiles whose event count is not their component's", c.wrongCounts());
            section(report, "profiles whose id is not derived from their strongest identifier", c.wrongIds());
            if (!report.isEmpty()) {
                fail(name + " (seed " + SEED + "): the profiles at rest are not the oracle's components" + report);
            }
        } finally {
            // a job that already failed cannot be cancelled: that error would hide the test's own
            if (!client.getJobStatus().get().isGloballyTerminalState()) {
                client.cancel().get();
            }
        }
    }

    /** Polls the profile topic until its at-rest view equals the expectation; false after {@link #TIMEOUT}. */
    private static boolean awaitRest(String topic, Map<String, ExpectedProfile> expected) {
        ProfileTopicView live = new ProfileTopicView();
        boolean[] equal = {false};
        TopicReader.readUntil(KAFKA.bootstrapServers(), topic, read -> {
            if (live.catchUp(read)) { // compare again only when something new was committed
                equal[0] = AtRestComparison.of(expected, live.atRest()).equal();
            }
            return equal[0];
        }, TIMEOUT);
        return equal[0];
    }

    /** Waits until the job has restarted and completed a checkpoint since: its output is then from restored state. */
    private static void awaitCheckpointAfterRestart(MiniCluster cluster, JobClient client) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(client.getJobID()).get();
            long restarted = graph.getStatusTimestamp(JobStatus.RESTARTING);
            CompletedCheckpointStats last = graph.getCheckpointStatsSnapshot().getHistory()
                    .getLatestCompletedCheckpoint();
            if (restarted > 0 && last != null && last.getTriggerTimestamp() > restarted) {
                return;
            }
            Thread.sleep(200);
        }
        fail("the job did not restart and complete a checkpoint within " + TIMEOUT + " of the TaskManager's death");
    }

    /** The test job at another parallelism: JobDefinition is a record, so every other component is copied. */
    private static JobDefinition withParallelism(JobDefinition j, int parallelism) {
        return new JobDefinition(j.name(), parallelism, j.kafka(), j.topics(), j.delivery(), j.checkpoint(),
                j.state(), j.ingest(), j.profiles(), j.segments());
    }

    private static String jsonTopic(JobDefinition job) {
        return job.topics().events().stream().filter(t -> t.format() == JobDefinition.Format.JSON)
                .findFirst().orElseThrow().name();
    }

    /** The first few problems of one kind and how many there are: a broken stage can produce thousands. */
    private static void section(StringBuilder report, String what, List<String> problems) {
        if (!problems.isEmpty()) {
            report.append("\n").append(problems.size()).append(' ').append(what).append(':')
                    .append(AtRestComparison.firstLines(problems, SHOWN));
        }
    }
}
