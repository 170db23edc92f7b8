package dev.streamingcdp.activation;

import static dev.streamingcdp.activation.ActivationTopics.consent;
import static dev.streamingcdp.activation.ActivationTopics.identify;
import static dev.streamingcdp.activation.ActivationTopics.views;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal data flows through every stage (profiles, merges, rejected links, dead letters, activation) while all log
 * output is captured: none of the e-mail addresses or phone numbers may appear in it.
 */
class NoPersonalDataInLogsIT {

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void logsCarryNoEmailOrPhone() throws Exception {
        List<String> secrets = new ArrayList<>();
        try (CapturedLogs logs = new CapturedLogs()) {
            JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "pii", checkpoints);
            SegmentCatalog segments = SegmentCatalog.load(DEMO);
            Destinations destinations = Destinations.load(DEMO, segments).withTopicPrefix("pii.");
            KAFKA.createTopics(job, destinations);
            String events = job.topics().events().get(0).name();

            List<ObjectNode> input = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String user = "pii-" + i;
                String email = "secret.person" + i + "@private-example.org";
                String phone = "+1415555" + (2600 + i);
                secrets.add(email);
                secrets.add(phone);
                ObjectNode id = consent(identify(user, 0, email), "marketing", true, "advertising", true);
                ((ObjectNode) id.get("traits")).put("phone", phone);
                id.put("anonymousId", "cookie-" + user);
                input.add(id);
                input.addAll(views(user, 1, 3));
            }
            // one customer with more e-mails than identity.yaml allows: rejected links are reported, not logged
            for (int k = 0; k < 7; k++) {
                String email = "many" + k + "@private-example.org";
                secrets.add(email);
                input.add(identify("pii-0", 10 + k, email));
            }
            List<TestPipelines.Input> records = new ArrayList<>(input.stream().map(e -> new TestPipelines.Input(
                    events, e.get("userId").asText(), e.toString().getBytes(StandardCharsets.UTF_8))).toList());
            // dead letters carry the payload to their topic, never to the log
            String broken = "{\"type\": \"identify\", \"traits\": {\"email\": \"broken.secret@private-example.org\"";
            secrets.add("broken.secret@private-example.org");
            records.add(new TestPipelines.Input(events, "x", broken.getBytes(StandardCharsets.UTF_8)));

            JobClient client = TestPipelines.start(job, IdentityRules.load(DEMO), segments, destinations);
            try {
                TestPipelines.produce(KAFKA.bootstrapServers(), records);
                Destinations.Destination email = destinations.destination("email-marketing").orElseThrow();
                assertThat(ActivationTopics.read(KAFKA.bootstrapServers(), email, r -> r.size() >= 8, WAIT))
                        .hasSizeGreaterThanOrEqualTo(8);
                assertThat(TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().identityAudit(),
                        r -> !r.isEmpty(), WAIT)).isNotEmpty();
                assertThat(TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().deadLetter(),
                        r -> !r.isEmpty(), WAIT)).isNotEmpty();
            } finally {
                client.cancel().get();
            }

            List<String> lines = logs.lines();
            assertThat(lines).as("log output was captured").isNotEmpty();
            for (String secret : secrets) {
                assertThat(lines).as("log lines with %s", secret).noneMatch(l -> l.contains(secret)
                        || l.contains(secret.replace("+", "")));
            }
        }
    }
}
