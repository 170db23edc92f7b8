package dev.streamingcdp.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.EvolvedJobJar;
import dev.streamingcdp.testing.FlinkRest;
import dev.streamingcdp.testing.ProfileTopic;
import dev.streamingcdp.testing.Scripts;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Upgrading the job the operator's way, on a real standalone cluster (bin/flink-cluster) and a broker process
 * (bin/kafka): the current jar runs the retail demo, stops with a savepoint, and the next release, whose ProfileState
 * has one new optional field, resumes from it. Profiles, segment memberships and what destinations were told carry on
 * where they were. A release whose new field has no default is refused on restore: the test can tell a break.
 * Everything it starts, and the logs, are under target/savepoint-upgrade.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SavepointUpgradeIT {

    private static final Path WORK = Path.of("target/savepoint-upgrade").toAbsolutePath();
    private static final Path JOB_JAR = Path.of("target/streaming-cdp.jar").toAbsolutePath();
    private static final String BOOTSTRAP = "127.0.0.1:27092";
    private static final Map<String, String> PORTS_AND_DIRS = Map.of(
            "KAFKA_PORT", "27092", "KAFKA_CONTROLLER_PORT", "27093",
            "KAFKA_DATA_DIR", WORK.resolve("kafka").toString(),
            "FLINK_REST_PORT", "27081", "FLINK_RPC_PORT", "27123", "FLINK_PROM_PORTS", "27249-27259",
            "FLINK_CLUSTER_DIR", WORK.resolve("flink").toString());
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Instant T = Instant.parse("2026-11-20T09:00:00Z");
    private static final String SEGMENT = "prospecting-ads";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ANN = ProfileId.of(new Identifier("user_id", "ann"));
    private static final String BOB = ProfileId.of(new Identifier("user_id", "bob"));
    private static final String CAT = ProfileId.of(new Identifier("user_id", "cat"));

    private static Scripts scripts;
    private static final FlinkRest FLINK = new FlinkRest(27081);
    private static Path jobDir;
    private static JobDefinition job;
    private static Destinations.Destination ads;
    private static String savepoint;
    private static Map<String, JsonNode> profilesBefore;

    @BeforeAll
    static void runTheCurrentJobAndStopItWithASavepoint() throws Exception {
        deleteTree(WORK);
        Files.createDirectories(WORK);
        scripts = new Scripts(PORTS_AND_DIRS, WORK);
        jobDir = jobDirectory();
        job = JobDefinition.load(jobDir);
        Destinations destinations = Destinations.load(jobDir, SegmentCatalog.load(jobDir));
        ads = destinations.destination("ads-prospecting").orElseThrow();

        scripts.run("bin/kafka", "start");
        TopicAdmin.createMissing(BOOTSTRAP, Map.of(), TopicRegistry.topics(job, destinations));
        scripts.run("bin/flink-cluster", "start");
        String current = submit(JOB_JAR, null);

        // Ann and Bob agree to advertising and view a product: both enter prospecting, the ad platform hears of them.
        send(identify("ann", 0, "name", "Ann"), viewed("ann", 1), identify("bob", 0, "name", "Bob"), viewed("bob", 2));
        changesUntil(c -> c.containsAll(List.of(ANN + " ENTERED#1", BOB + " ENTERED#1")));
        adsUntil(a -> a.containsAll(List.of(ANN + " ENTERED#1", BOB + " ENTERED#1")));
        profilesBefore = ProfileTopic.readUntil(BOOTSTRAP, job.topics().profiles(),
                p -> p.containsKey(ANN) && p.containsKey(BOB) && p.get(BOB).at("/eventCounts/track").asInt() == 1,
                WAIT);

        savepoint = scripts.lastLine("bin/flink-cluster", "stop-job", current);
        assertThat(savepoint).as("the savepoint path").contains("savepoint");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (scripts != null) {
            scripts.stopClusterAndBroker();
        }
    }

    @Test
    @Order(1)
    void aNewFieldWithoutADefaultIsRefusedOnRestore() throws Exception {
        Path jar = EvolvedJobJar.write(JOB_JAR, EvolvedJobJar.INCOMPATIBLE_FIELD,
                Files.createDirectories(WORK.resolve("incompatible")));

        // the script waits for every task to run, which never happens: the restore fails and the job restarts
        assertThatThrownBy(() -> scripts.run("env", "FLINK_JOB_TIMEOUT=40", "bin/flink-cluster", "submit",
                jar.toString(), "--savepoint", savepoint, "--", "run", "--job", jobDir.toString()))
                .hasMessageContaining("exited with");
        List<String> jobs = FLINK.jobsIn("CREATED", "INITIALIZING", "RUNNING", "RESTARTING", "FAILING", "FAILED");
        try {
            assertThat(jobs).hasSize(1);
            JsonNode failures = FLINK.exceptions(jobs.get(0));
            assertThat(failures).isNotEmpty();
            assertThat(failures).allSatisfy(f -> assertThat(f.path("stacktrace").asText())
                    .contains("StateMigrationException").contains("must not be incompatible"));
        } finally {
            for (String id : jobs) {
                scripts.run("bin/flink-cluster", "cancel-job", id);
            }
        }
    }

    @Test
    @Order(2)
    void theEvolvedJobResumesEveryProfileFromTheSavepoint() throws Exception {
        Path jar = EvolvedJobJar.write(JOB_JAR, EvolvedJobJar.COMPATIBLE_FIELD,
                Files.createDirectories(WORK.resolve("evolved")));
        String evolved = submit(jar, savepoint);

        // Ann views again (no change: she is in) and orders (out); Bob tells his plan; Cat is new.
        send(viewed("ann", 10), ordered("ann", 11), identify("bob", 12, "plan", "gold"),
                identify("cat", 13, "name", "Cat"), viewed("cat", 14));
        List<String> changes = changesUntil(c -> c.containsAll(List.of(ANN + " EXITED#2", CAT + " ENTERED#1")));
        List<String> told = adsUntil(a -> a.containsAll(List.of(ANN + " EXITED#2", CAT + " ENTERED#1")));
        Map<String, JsonNode> profiles = ProfileTopic.readUntil(BOOTSTRAP, job.topics().profiles(),
                p -> p.containsKey(CAT) && p.containsKey(BOB)
                        && p.get(BOB).at("/traits/plan").asText().equals("gold"), WAIT);

        assertThat(FLINK.state(evolved)).isEqualTo("RUNNING");
        assertThat(FLINK.restarts(evolved)).isZero();
        assertThat(FLINK.exceptions(evolved)).isEmpty();
        // no second ENTERED for memberships from before the upgrade; new changes continue each sequence
        assertThat(changes).containsExactlyInAnyOrder(
                ANN + " ENTERED#1", BOB + " ENTERED#1", ANN + " EXITED#2", CAT + " ENTERED#1");
        assertThat(told).containsExactlyInAnyOrder(
                ANN + " ENTERED#1", BOB + " ENTERED#1", ANN + " EXITED#2", CAT + " ENTERED#1");
        // the profiles are the ones from before, with what came after added to them
        JsonNode bob = profiles.get(BOB);
        assertThat(bob.at("/traits/name").asText()).isEqualTo("Bob");
        assertThat(bob.at("/eventCounts/track").asInt()).isEqualTo(1);
        assertThat(bob.at("/eventCounts/identify").asInt()).isEqualTo(2);
        assertThat(bob.path("firstSeen")).isEqualTo(profilesBefore.get(BOB).path("firstSeen"));
        JsonNode ann = profiles.get(ANN);
        assertThat(ann.at("/traits/name").asText()).isEqualTo("Ann");
        assertThat(ann.at("/eventCounts/track").asInt()).isEqualTo(3);
        assertThat(profiles.keySet()).containsExactlyInAnyOrder(ANN, BOB, CAT);

        // What ran was the evolved release: its savepoint records ProfileState with the new field.
        Path after = Path.of(URI.create(scripts.lastLine("bin/flink-cluster", "stop-job", evolved)));
        Path before = Path.of(URI.create(savepoint));
        assertThat(mentions(before, "\"ProfileState\"")).as("the schema is readable in a savepoint").isTrue();
        assertThat(mentions(before, "\"upgradedAt\"")).isFalse();
        assertThat(mentions(after, "\"upgradedAt\"")).isTrue();
    }

    /** The retail demo on this test's broker, checkpointing every second into the test's directory. */
    private static Path jobDirectory() throws IOException {
        Path dir = WORK.resolve("job");
        Path demo = Path.of("jobs/retail-demo");
        try (Stream<Path> files = Files.walk(demo)) {
            for (Path f : files.toList()) {
                Path target = dir.resolve(demo.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode definition = (ObjectNode) yaml.readTree(dir.resolve("job.yaml").toFile());
        ((ObjectNode) definition.get("kafka")).put("bootstrapServers", BOOTSTRAP);
        ((ObjectNode) definition.get("checkpoint")).put("interval", "1s").put("minPause", "0s")
                .put("dir", WORK.resolve("flink/job-checkpoints").toUri().toString());
        yaml.writeValue(dir.resolve("job.yaml").toFile(), definition);
        return dir;
    }

    /** Submits the jar (from the savepoint if given) and returns the job id once every task runs. */
    private static String submit(Path jar, String fromSavepoint) throws Exception {
        List<String> args = new ArrayList<>(List.of("bin/flink-cluster", "submit", jar.toString()));
        if (fromSavepoint != null) {
            args.addAll(List.of("--savepoint", fromSavepoint));
        }
        args.addAll(List.of("--", "run", "--job", jobDir.toString()));
        return scripts.lastLine(args.toArray(String[]::new));
    }

    private static ObjectNode event(String type, String user, int minute) {
        return JSON.createObjectNode().put("type", type).put("userId", user)
                .put("messageId", user + "-" + type + "-" + minute).put("channel", "browser")
                .put("timestamp", T.plus(Duration.ofMinutes(minute)).toString());
    }

    /** An identify with her e-mail, one more trait, and consent to advertising. */
    private static ObjectNode identify(String user, int minute, String trait, String value) {
        ObjectNode e = event("identify", user, minute);
        e.putObject("traits").put("email", user + "@example.com").put(trait, value);
        e.putObject("context").putObject("consent").putObject("categoryPreferences").put("advertising", true);
        return e;
    }

    private static ObjectNode viewed(String user, int minute) {
        ObjectNode e = event("track", user, minute).put("event", "Product Viewed");
        e.putObject("properties").put("category", "sandals").put("sku", "sandals-1");
        return e;
    }

    private static ObjectNode ordered(String user, int minute) {
        return event("track", user, minute).put("event", "Order Completed");
    }

    private static void send(ObjectNode... events) {
        String topic = job.topics().events().get(0).name();
        TestPipelines.produce(BOOTSTRAP, Stream.of(events).map(e -> new TestPipelines.Input(topic,
                e.get("userId").asText(), e.toString().getBytes(StandardCharsets.UTF_8))).toList());
    }

    /** Segment changes of {@link #SEGMENT} as "profileId ENTERED#1", read (read_committed) until {@code done}. */
    private static List<String> changesUntil(Predicate<List<String>> done) {
        return readUntil(job.topics().segmentChanges(), record -> {
            JsonNode c = JSON.readTree(record.value());
            return c.at("/segment/id").asText().equals(SEGMENT) ? c.path("profileId").asText() + " "
                    + (c.path("type").asText().equals("segment.entered") ? "ENTERED#" : "EXITED#")
                    + c.path("sequence").asLong() : null;
        }, done);
    }

    /** What the ad platform was told, as "profileId ENTERED#1", read (read_committed) until {@code done}. */
    private static List<String> adsUntil(Predicate<List<String>> done) {
        return readUntil(ads.topic(), record -> {
            ActivationRecord a = ActivationRecord.fromByteBuffer(ByteBuffer.wrap(record.value()));
            return a.getProfileId() + " " + (a.getType().equals("segment.entered") ? "ENTERED#" : "EXITED#")
                    + a.getSequence();
        }, done);
    }

    private interface Brief {
        /** One line for the record, or null to leave it out. */
        String of(ConsumerRecord<byte[], byte[]> record) throws IOException;
    }

    private static List<String> readUntil(String topic, Brief brief, Predicate<List<String>> done) {
        List<String> lines = new ArrayList<>();
        TopicReader.readUntil(BOOTSTRAP, topic, records -> {
            lines.clear();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                try {
                    String line = brief.of(r);
                    if (line != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable record on " + topic, e);
                }
            }
            return done.test(lines);
        }, WAIT);
        return lines;
    }

    /** True when some file of the savepoint directory contains {@code text} (as the serializer snapshots do). */
    private static boolean mentions(Path savepointDir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(savepointDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] data = Files.readAllBytes(f);
                for (int i = 0; i + needle.length <= data.length; i++) {
                    if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
