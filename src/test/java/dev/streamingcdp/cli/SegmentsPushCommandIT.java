package dev.streamingcdp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `cdp segments push` and `delete` against a real broker: what lands on the control topic (no job needed). */
class SegmentsPushCommandIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static String controlTopic;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTopics() throws Exception {
        JobDefinition job = JobDefinition.load(DEMO).withBootstrapServers(KAFKA.bootstrapServers());
        KAFKA.createTopics(job);
        controlTopic = job.topics().segmentControl();
    }

    @Test
    void pushWritesEachDefinitionAsJsonKeyedByItsId() throws IOException {
        Path yaml = DEMO.resolve("segments/retention-offer.yaml");
        Path json = Files.writeString(dir.resolve("window-shoppers.json"), """
                {"id": "window-shoppers", "name": "Window shoppers", "version": 2,
                 "destinations": ["ads-prospecting"],
                 "condition": {"event": "Product Viewed", "atLeast": 5, "within": "1d"}}
                """);

        Run run = cdp("segments", "push", yaml.toString(), json.toString());

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out.lines()).containsExactly("pushed retention-offer v1", "pushed window-shoppers v2");
        List<ConsumerRecord<byte[], byte[]>> records = read(r -> keys(r).containsAll(
                List.of("retention-offer", "window-shoppers")));
        assertThat(records).allSatisfy(r -> assertThat(r.partition()).isZero());
        ConsumerRecord<byte[], byte[]> offer = last(records, "retention-offer");
        assertThat(new ObjectMapper().readTree(offer.value())).isEqualTo(new YAMLMapper().readTree(yaml.toFile()));
        ConsumerRecord<byte[], byte[]> shoppers = last(records, "window-shoppers");
        assertThat(new ObjectMapper().readTree(shoppers.value())).isEqualTo(new ObjectMapper().readTree(json.toFile()));
    }

    @Test
    void deleteWritesATombstonePerId() {
        Run run = cdp("segments", "delete", "cart-abandoners", "running-shoes-interest");

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out.lines()).containsExactly("deleted cart-abandoners", "deleted running-shoes-interest");
        List<ConsumerRecord<byte[], byte[]>> records = read(r -> keys(r).containsAll(
                List.of("cart-abandoners", "running-shoes-interest")));
        assertThat(last(records, "cart-abandoners").value()).isNull();
        assertThat(last(records, "running-shoes-interest").value()).isNull();
    }

    @Test
    void aMissingControlTopicIsReportedNotCreated() throws Exception {
        Path job = dir.resolve("job");
        Files.createDirectories(job);
        String yaml = Files.readString(DEMO.resolve("job.yaml"));
        assertThat(yaml).contains("segmentControl: cdp.segments.control");
        Files.writeString(job.resolve("job.yaml"),
                yaml.replace("segmentControl: cdp.segments.control", "segmentControl: not.created.control"));

        Run run = cdp("segments", "push", "--job", job.toString(),
                DEMO.resolve("segments/retention-offer.yaml").toString());

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err).isEqualTo("error: topic not.created.control is missing (create the job's topics with "
                + "`cdp topics`)\n");
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            assertThat(admin.listTopics().names().get()).doesNotContain("not.created.control");
        }
    }

    private record Run(int exit, String out, String err) {}

    /** The command as `bin/cdp` runs it, against the test broker; --job is the demo's unless given. */
    private static Run cdp(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(2, List.of("--bootstrap-servers", KAFKA.bootstrapServers()));
        if (!all.contains("--job")) {
            all.addAll(2, List.of("--job", DEMO.toString()));
        }
        int exit = new CommandLine(new Cdp()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> records =
                TopicReader.readUntil(KAFKA.bootstrapServers(), controlTopic, done, DEADLINE);
        assertThat(done).as("records on " + controlTopic + " within " + DEADLINE).accepts(records);
        return records;
    }

    private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    private static ConsumerRecord<byte[], byte[]> last(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        return records.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(key))
                .reduce((a, b) -> b).orElseThrow();
    }
}
