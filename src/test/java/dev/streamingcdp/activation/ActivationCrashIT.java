package dev.streamingcdp.activation;

import static dev.streamingcdp.activation.ActivationTopics.consent;
import static dev.streamingcdp.activation.ActivationTopics.event;
import static dev.streamingcdp.activation.ActivationTopics.identify;
import static dev.streamingcdp.activation.ActivationTopics.views;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager dies while changes are being activated: read_committed consumers of the exactly-once destinations
 * see each change once; the at-least-once destination may repeat one, and its sequence numbers let a consumer drop
 * the repeat, after which it too has each change once.
 */
class ActivationCrashIT {

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final int CUSTOMERS = 120;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void everyDestinationSeesEachChangeOnceAcrossACrash(@InjectMiniCluster MiniCluster cluster) throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "activation-crash", checkpoints);
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        Destinations destinations = Destinations.load(DEMO, segments).withTopicPrefix("activation-crash.");
        KAFKA.createTopics(job, destinations);
        String events = job.topics().events().get(0).name();
        Destinations.Destination email = destinations.destination("email-marketing").orElseThrow();
        Destinations.Destination ads = destinations.destination("ads-prospecting").orElseThrow();
        Destinations.Destination web = destinations.destination("web-personalisation").orElseThrow();

        List<ObjectNode> input = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String user = "c-" + i;
            ObjectNode id = consent(identify(user, 0, user + "@example.com"), "marketing", true, "advertising", true);
            if (i % 3 == 0) {
                ((ObjectNode) id.get("traits")).put("intent_to_cancel", true);
            }
            input.add(id);
            input.addAll(views(user, 1, 3));
            if (i % 3 == 0) {
                input.add(event("page", user, 5));
            }
        }
        Set<String> everyone = IntStream.range(0, CUSTOMERS)
                .mapToObj(i -> ProfileId.of(new Identifier("user_id", "c-" + i))).collect(Collectors.toSet());
        Set<String> leaving = IntStream.range(0, CUSTOMERS).filter(i -> i % 3 == 0)
                .mapToObj(i -> ProfileId.of(new Identifier("user_id", "c-" + i))).collect(Collectors.toSet());

        JobClient client = TestPipelines.start(job, IdentityRules.load(DEMO), segments, destinations);
        try {
            int half = input.size() / 2;
            ActivationTopics.produce(KAFKA.bootstrapServers(), events, input.subList(0, half));
            ActivationTopics.read(KAFKA.bootstrapServers(), email, r -> !r.isEmpty(), WAIT); // a checkpoint is done
            ActivationTopics.produce(KAFKA.bootstrapServers(), events, input.subList(half, input.size()));
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();

            assertOnce(email, "running-shoes-interest", everyone, true);
            assertOnce(ads, "prospecting-ads", everyone, true);
            assertOnce(web, "retention-offer", leaving, false);
            assertThat(cluster.getExecutionGraph(client.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job went through a restart").isPositive();
        } finally {
            client.cancel().get();
        }
    }

    /** Each of {@code profiles} entered {@code segment} on {@code d} once (after dropping repeats unless strict). */
    private void assertOnce(Destinations.Destination d, String segment, Set<String> profiles, boolean strict) {
        ActivationTopics.read(KAFKA.bootstrapServers(), d, r -> distinct(r).size() >= profiles.size(), WAIT);
        // let stragglers (a duplicate from a replayed transaction) arrive: several checkpoints
        List<ActivationRecord> records = ActivationTopics.read(KAFKA.bootstrapServers(), d, r -> false,
                Duration.ofSeconds(3));
        Set<String> changes = distinct(records);
        assertThat(changes).as("changes on %s", d.name()).containsExactlyInAnyOrderElementsOf(
                profiles.stream().map(p -> p + " " + segment + " segment.entered 1").toList());
        if (strict) {
            assertThat(records).as("records on %s (exactly once)", d.name()).hasSize(profiles.size());
        }
    }

    private static Set<String> distinct(List<ActivationRecord> records) {
        Set<String> changes = new HashSet<>();
        records.forEach(r -> changes.add(r.getProfileId() + " " + r.getSegmentId() + " " + r.getType() + " "
                + r.getSequence()));
        return changes;
    }
}
