package dev.streamingcdp.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.Scripts;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * streaming-cdp as production runs it: a broker process (bin/kafka) and a standalone Flink cluster (bin/flink-cluster,
 * RocksDB, the repository's config.yaml), the shaded jar submitted over the REST API, an upgrade by stop-with-savepoint
 * and resume. The demo's activation stories run across the upgrade (some events are sent while the job is stopped),
 * and every destination topic, read as a downstream consumer does (read_committed), holds exactly the expected changes:
 * none lost, none twice, sequences continuing where they stopped.
 * <p>
 * Ports (127.0.0.1): broker 29092/29093, REST 28081, JobManager RPC 26123, Prometheus 29249-29259. Everything lives
 * in target/cluster-it (script output in scripts.log, cluster logs in flink/log, broker log in kafka/).
 */
class ClusterIT {

    private static final String BOOTSTRAP = "127.0.0.1:29092";
    private static final String REST = "http://127.0.0.1:28081";
    private static final int PROM_FIRST = 29249;
    private static final int PROM_LAST = 29259;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");
    private static final Path WORK = Path.of("target/cluster-it").toAbsolutePath();
    private static final Path JAR = Path.of("target/streaming-cdp.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Scripts scripts;
    private static Path jobDir;
    private static JobDefinition job;
    private static Destinations destinations;

    private final String ann = profileOf("ann");
    private final String bea = profileOf("bea");
    private final String pro = profileOf("pro");
    private final String dan = profileOf("dan");

    @BeforeAll
    static void startBrokerAndCluster() throws Exception {
        assertThat(JAR).as("the shaded job jar (built by mvn package before the ITs)").exists();
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        scripts = new Scripts(Map.of(
                "KAFKA_PORT", "29092", "KAFKA_CONTROLLER_PORT", "29093",
                "KAFKA_DATA_DIR", WORK.resolve("kafka").toString(),
                "FLINK_REST_PORT", "28081", "FLINK_RPC_PORT", "26123",
                "FLINK_PROM_PORTS", PROM_FIRST + "-" + PROM_LAST,
                "FLINK_CLUSTER_DIR", WORK.resolve("flink").toString()), WORK);
        jobDir = testJobDir();
        job = JobDefinition.load(jobDir).withBootstrapServers(BOOTSTRAP);
        destinations = Destinations.load(jobDir, SegmentCatalog.load(jobDir));

        scripts.run("bin/kafka", "start");
        scripts.run("bin/flink-cluster", "start");
        TopicAdmin.createMissing(BOOTSTRAP, Map.of(), TopicRegistry.topics(job, destinations));
    }

    @AfterAll
    static void stopClusterAndBroker() throws Exception {
        if (scripts != null) {
            scripts.stopClusterAndBroker();
        }
    }

    @Test
    void theDemoStoriesSurviveAnUpgradeBySavepointOnAStandaloneCluster() throws Exception {
        String firstJob = submit();
        assertReadableOperatorNames(firstJob);

        // Ann declined marketing, allows personalisation, intends to cancel and is on the site: the retention offer
        // reaches web personalisation, but her running-shoes interest never reaches e-mail marketing.
        List<ObjectNode> before = new ArrayList<>();
        ObjectNode annIdentify = consent(identify("ann", 0, "ann@example.com"), "marketing", false,
                "personalisation", true).put("channel", "crm");
        ((ObjectNode) annIdentify.get("traits")).put("intent_to_cancel", true);
        before.add(annIdentify);
        before.addAll(views("ann", 1, 3));
        before.add(event("page", "ann", 5));
        // Bea agreed to marketing and views running shoes three times: e-mail marketing hears of her.
        before.add(consent(identify("bea", 0, "bea@example.com"), "marketing", true));
        before.addAll(views("bea", 1, 3));
        // Pro agreed to advertising and views a product: the prospecting audience on the ad platform.
        before.add(consent(identify("pro", 0, "pro@example.com"), "advertising", true));
        before.addAll(views("pro", 1, 1));
        produce(before);

        awaitChanges("web-personalisation", ann + " retention-offer segment.entered 1");
        awaitChanges("email-marketing", bea + " running-shoes-interest segment.entered 1");
        awaitChanges("ads-prospecting", pro + " prospecting-ads segment.entered 1");
        assertPrometheusCounts(firstJob, "track", before.stream().filter(e -> e.get("type").asText().equals("track")).count());

        // Upgrade: stop with a savepoint; events keep arriving while no job runs.
        String savepoint = scripts.lastLine("bin/flink-cluster", "stop-job", firstJob);
        assertThat(Path.of(URI.create(savepoint.replaceFirst("^file:/+", "file:///"))))
                .as("savepoint under the cluster's savepoint dir").startsWith(WORK.resolve("flink/savepoints"))
                .isDirectory();
        assertThat(get("/jobs/" + firstJob).get("state").asText()).isEqualTo("FINISHED");
        // Pro orders (out of the prospecting audience); Dan, new, agrees to advertising and views a product.
        produce(List.of(track("pro", 10, "Order Completed"),
                consent(identify("dan", 0, "dan@example.com"), "advertising", true), views("dan", 1, 1).get(0)));

        String secondJob = submit("--savepoint", savepoint);
        assertThat(secondJob).isNotEqualTo(firstJob);
        assertThat(get("/jobs/" + secondJob + "/checkpoints").at("/latest/restored/external_path").asText())
                .isEqualTo(savepoint);
        // Bea revokes marketing, then grants it again: the gate remembers what e-mail marketing was told.
        produce(List.of(consent(identify("bea", 10, null), "marketing", false)));
        awaitChanges("email-marketing", bea + " running-shoes-interest segment.exited 2");
        produce(List.of(consent(identify("bea", 20, null), "marketing", true)));

        // Every change exactly once, in order per profile, sequences continuing across the upgrade.
        assertThat(awaitChanges("email-marketing", bea + " running-shoes-interest segment.entered 3"))
                .containsExactly(
                        bea + " running-shoes-interest segment.entered 1",
                        bea + " running-shoes-interest segment.exited 2",
                        bea + " running-shoes-interest segment.entered 3");
        assertThat(awaitChanges("ads-prospecting", dan + " prospecting-ads segment.entered 1",
                pro + " prospecting-ads segment.exited 2"))
                .containsExactlyInAnyOrder(
                        pro + " prospecting-ads segment.entered 1",
                        pro + " prospecting-ads segment.exited 2",
                        dan + " prospecting-ads segment.entered 1")
                .filteredOn(c -> c.startsWith(pro))
                .containsExactly(pro + " prospecting-ads segment.entered 1", pro + " prospecting-ads segment.exited 2");
        assertThat(awaitChanges("web-personalisation")).containsExactly(ann + " retention-offer segment.entered 1");
        assertThat(get("/jobs/" + secondJob).get("state").asText()).isEqualTo("RUNNING");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The cluster

    private static String submit(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bin/flink-cluster", "submit", JAR.toString()));
        command.addAll(Arrays.asList(options));
        command.addAll(List.of("--", "run", "--job", jobDir.toString(), "--bootstrap-servers", BOOTSTRAP));
        String jobId = scripts.lastLine(command.toArray(String[]::new));
        assertThat(jobId).matches("[0-9a-f]{32}");
        return jobId;
    }

    /** The dashboard shows what each task does: the stage-named operators, no Flink default names. */
    private static void assertReadableOperatorNames(String jobId) throws Exception {
        List<String> vertices = new ArrayList<>();
        get("/jobs/" + jobId).get("vertices").forEach(v -> vertices.add(v.get("name").asText()));
        assertThat(vertices).anyMatch(n -> n.contains("profile: unify, merge, evaluate segments"))
                .anyMatch(n -> n.contains("activation: consent gate"))
                .anyMatch(n -> n.contains("ingest: de-duplicate by messageId"));
        // a chain is "a -> b -> (c, d)"; every operator is "<stage>: <what it does>", never a default like "Map"
        List<String> operators = vertices.stream()
                .flatMap(n -> Arrays.stream(n.replace("(", " -> ").replace(")", "").split(" -> |, (?=[a-z -]+: )")))
                .map(o -> o.replaceFirst("^Source: ", "").trim())
                .filter(o -> !o.isEmpty())
                .toList();
        assertThat(operators).as("operators of %s", vertices).hasSizeGreaterThan(vertices.size())
                .allMatch(o -> o.matches("[a-z][a-z -]*: .+"), "named '<stage>: <what it does>'");
    }

    private static void assertPrometheusCounts(String jobId, String type, long sent) throws Exception {
        // Counters are live: wait until every sent event was counted, then the figure must match exactly.
        long counted = -1;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            counted = scrapeSum(jobId, type);
            if (counted >= sent) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(counted).as("ingest events of type %s on the cluster's Prometheus endpoints", type).isEqualTo(sent);
    }

    /** The sum over the job's subtasks of ingest.type.{type}.events, scraped from every port the reporters may use. */
    private static long scrapeSum(String jobId, String type) throws InterruptedException {
        // the counter's key-value group ("type", t) becomes the label type="t"
        Pattern line = Pattern.compile("^flink_taskmanager_job_task_operator_ingest_type_events\\{(.*)} (\\S+)$");
        long sum = 0;
        for (int port = PROM_FIRST; port <= PROM_LAST; port++) {
            String body;
            try {
                body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                continue;   // no reporter on this port
            }
            for (String l : body.lines().toList()) {
                Matcher m = line.matcher(l);
                if (m.matches() && m.group(1).contains("type=\"" + type + "\"")
                        && m.group(1).contains("job_id=\"" + jobId + "\"")) {
                    sum += (long) Double.parseDouble(m.group(2));
                }
            }
        }
        return sum;
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(REST + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Destinations

    /**
     * The changes on {@code destination}'s topic (read_committed) as "profile segment type sequence", in topic order,
     * once all of {@code expected} are there; a short settle afterwards lets a late duplicate show.
     */
    private List<String> awaitChanges(String destination, String... expected) {
        Destinations.Destination d = destinations.destination(destination).orElseThrow();
        List<String> changes = decode(d, TopicReader.readUntil(BOOTSTRAP, d.topic(),
                rs -> decode(d, rs).containsAll(List.of(expected)), WAIT));
        assertThat(changes).as("changes on %s", d.topic()).contains(expected);
        return decode(d, TopicReader.readAll(BOOTSTRAP, d.topic(), Duration.ofSeconds(3)));
    }

    private static List<String> decode(Destinations.Destination d, List<ConsumerRecord<byte[], byte[]>> records) {
        // per-partition order is per-profile order (the key is the profile id); sort partitions for a stable list
        return records.stream().sorted(Comparator.comparingInt(ConsumerRecord::partition))
                .map(r -> decode(d, r.value())).toList();
    }

    private static String decode(Destinations.Destination d, byte[] value) {
        try {
            if (d.format() == Destinations.Format.AVRO) {
                ActivationRecord r = ActivationRecord.fromByteBuffer(ByteBuffer.wrap(value));
                return r.getProfileId() + " " + r.getSegmentId() + " " + r.getType() + " " + r.getSequence();
            }
            JsonNode j = JSON.readTree(value);
            return j.get("profileId").asText() + " " + j.at("/segment/id").asText() + " " + j.get("type").asText()
                    + " " + j.get("sequence").asLong();
        } catch (IOException e) {
            throw new AssertionError("not an activation record of " + d.name(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Events and the job

    private static void produce(List<ObjectNode> events) {
        String topic = job.topics().events().get(0).name();
        TestPipelines.produce(BOOTSTRAP, events.stream().map(e -> new TestPipelines.Input(topic,
                e.get("userId").asText(), e.toString().getBytes(StandardCharsets.UTF_8))).toList());
    }

    private static ObjectNode event(String type, String user, int minute) {
        ObjectNode e = JSON.createObjectNode().put("type", type).put("userId", user)
                .put("messageId", "m-" + user + "-" + type + "-" + minute)
                .put("timestamp", T.plus(Duration.ofMinutes(minute)).toString());
        if (type.equals("page")) {
            e.put("name", "Pricing");
        }
        return e;
    }

    private static ObjectNode identify(String user, int minute, String email) {
        ObjectNode e = event("identify", user, minute);
        ObjectNode traits = e.putObject("traits");
        if (email != null) {
            traits.put("email", email);
        }
        return e;
    }

    private static ObjectNode track(String user, int minute, String name) {
        return event("track", user, minute).put("event", name);
    }

    /** Adds context.consent.categoryPreferences: purpose, granted, purpose, granted ... */
    private static ObjectNode consent(ObjectNode e, Object... purposes) {
        ObjectNode prefs = e.putObject("context").putObject("consent").putObject("categoryPreferences");
        for (int i = 0; i < purposes.length; i += 2) {
            prefs.put((String) purposes[i], (Boolean) purposes[i + 1]);
        }
        return e;
    }

    /** {@code count} views of running shoes, a minute apart. */
    private static List<ObjectNode> views(String user, int fromMinute, int count) {
        List<ObjectNode> views = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode v = track(user, fromMinute + i, "Product Viewed");
            v.putObject("properties").put("category", "running-shoes").put("sku", "sku-1001");
            views.add(v);
        }
        return views;
    }

    private static String profileOf(String user) {
        return ProfileId.of(new Identifier("user_id", user));
    }

    /**
     * The shipped retail demo with checkpoints every second (exactly-once output shows at each checkpoint) and
     * without its own checkpoint dir, so the cluster's (config.yaml, moved under FLINK_CLUSTER_DIR) applies.
     */
    private static Path testJobDir() throws IOException {
        Path dir = WORK.resolve("job");
        Path demo = Path.of("jobs/retail-demo");
        try (Stream<Path> files = Files.walk(demo)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(demo.relativize(f).toString()));
            }
        }
        Path yaml = dir.resolve("job.yaml");
        String text = Files.readString(yaml);
        // (the fixed event times of the test pass whenever it runs)
        String edited = text.replace("\n  interval: 5s\n", "\n  interval: 1s\n")
                .replaceFirst("\n  dir: file:[^\n]*\n", "\n")
                .replace("\n  maxTimestampAhead: 1h\n", "\n  maxTimestampAhead: 3650d\n");
        assertThat(edited).contains("\n  interval: 1s\n", "maxTimestampAhead: 3650d").doesNotContain("dir: file:");
        Files.writeString(yaml, edited);
        return dir;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
