package dev.streamingcdp.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.ProfileTopic;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Segment SDKs through the collector and the running job (MiniCluster, RocksDB, exactly-once, the retail
 * demo's identity rules and segments), started once for both: @segment/analytics-node's calls end as one profile and a
 * retention-offer entry on the segment-changes topic; analytics.js in headless Chromium sends with the page's
 * anonymousId (the one in its ajs_anonymous_id cookie and localStorage), and the login merges that cookie with the
 * user id on one profile.
 */
class SdkJobIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NODE_KEY = "node-key";
    private static final String WEB_KEY = "web-key";

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @TempDir
    static Path browserProfile;

    private static JobDefinition job;
    private static JobClient client;
    private static HttpServer shop;
    private static CollectorServer collector;

    @BeforeAll
    static void start() throws Exception {
        NodeClients.install();
        job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "sdk", checkpoints, Duration.ofSeconds(1));
        KAFKA.createTopics(job);
        client = TestPipelines.start(job, IdentityRules.load(Path.of("jobs/retail-demo")));
        shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String origin = "http://127.0.0.1:" + shop.getAddress().getPort();
        CollectorMetrics metrics = new CollectorMetrics();
        Sources sources = Sources.of(Map.of(
                NODE_KEY, new Sources.Source("backend", "server", "-", List.of()),
                WEB_KEY, new Sources.Source("shop", "browser", "-", List.of(origin))));
        collector = new CollectorServer(new CollectorServer.Settings("127.0.0.1", 0, Duration.ofSeconds(5), 10_000,
                Duration.ofSeconds(5)), sources, new EventWriter(job, metrics), metrics).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.stop(0);
        }
        if (collector != null) {
            collector.close();
        }
        if (client != null) {
            client.cancel().get();
        }
    }

    @Test
    void analyticsNodeCallsEndAsOneProfileAndASegmentEntry() throws Exception {
        String out = NodeClients.run(List.of("node", "send-node.mjs", collectorUrl(), NODE_KEY), 60);
        assertThat(out).contains("ok");

        List<JsonNode> sent = inputEvents("server", 6);
        assertThat(sent).extracting(e -> e.get("type").asText())
                .containsExactlyInAnyOrder("identify", "alias", "identify", "track", "page", "group");
        JsonNode track = sent.stream().filter(e -> e.get("type").asText().equals("track")).findFirst().orElseThrow();
        assertThat(track.get("event").asText()).isEqualTo("Order Completed");
        assertThat(track.get("properties").get("revenue").asInt()).isEqualTo(120);
        assertThat(track.at("/context/library/name").asText()).isEqualTo("@segment/analytics-node");

        // the alias links the anonymous identify to her user id: one profile with all three identifiers
        JsonNode profile = profileHolding("user_id", "node-user-1",
                p -> holds(p, "anonymous_id", "node-anon-1") && holds(p, "email", "node.user@example.com")
                        && p.at("/traits/plan").asText().equals("gold") && p.at("/eventCounts/group").asInt() == 1);
        assertThat(profile.at("/traits/intent_to_cancel").asBoolean()).isTrue();
        assertThat(profile.at("/eventCounts/track").asInt()).isEqualTo(1);
        assertThat(profile.at("/eventCounts/page").asInt()).isEqualTo(1);

        // the intent to cancel and the page view: she enters the retention offer
        String profileId = profile.get("profileId").asText();
        List<ConsumerRecord<byte[], byte[]>> changes = TopicReader.readUntil(KAFKA.bootstrapServers(),
                job.topics().segmentChanges(), r -> entered(r, profileId, "retention-offer"), WAIT);
        assertThat(entered(changes, profileId, "retention-offer")).as("retention-offer ENTERED for %s in %s",
                profileId, changes.size() + " changes").isTrue();
    }

    @Test
    void analyticsJsSendsWithThePagesAnonymousIdAndTheLoginMergesIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium is not installed (apt-get install chromium)");
        byte[] bundle = Files.readAllBytes(NodeClients.DIR.resolve(
                "node_modules/@segment/analytics-next/dist/umd/index.js"));
        String html = Files.readString(Path.of("src/test/resources/collect/shop.html")).replace("<script src=",
                "<script>window.COLLECTOR='" + collectorUrl() + "'</script><script src=");
        shop.createContext("/", ex -> {
            boolean js = ex.getRequestURI().getPath().equals("/analytics.js");
            byte[] body = js ? bundle : html.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", js ? "application/javascript" : "text/html");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        shop.start();
        String origin = "http://127.0.0.1:" + shop.getAddress().getPort();
        String out = NodeClients.run(List.of("node", "browser.mjs", origin + "/", browserProfile.toString()), 90);
        String anonymousId = line(out, "anonymousId=");
        assertThat(anonymousId).isNotBlank();
        assertThat(line(out, "cookie=")).as("the ajs_anonymous_id cookie").isEqualTo(anonymousId);
        // analytics.js keeps it in localStorage as JSON
        assertThat(CollectorIT.JSON.readTree(line(out, "localStorage=")).asText()).as("localStorage ajs_anonymous_id")
                .isEqualTo(anonymousId);

        List<JsonNode> sent = inputEvents("browser", 3);
        assertThat(sent).extracting(e -> e.get("type").asText()).containsExactlyInAnyOrder("page", "identify", "track");
        for (JsonNode e : sent) {
            assertThat(e.get("anonymousId").asText()).as(e.toString()).isEqualTo(anonymousId);
            if (!e.get("type").asText().equals("page")) {
                assertThat(e.get("userId").asText()).isEqualTo("browser-user-1");
            }
        }

        // the anonymous page view and the logged-in events: one profile with the cookie and the user id
        JsonNode profile = profileHolding("user_id", "browser-user-1", p -> holds(p, "anonymous_id", anonymousId)
                && holds(p, "email", "browser.user@example.com") && p.at("/eventCounts/page").asInt() == 1
                && p.at("/eventCounts/track").asInt() == 1);
        assertThat(profile.at("/traits/email").asText()).isEqualTo("browser.user@example.com");
        Map<String, JsonNode> all = ProfileTopic.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                p -> false, Duration.ofSeconds(2));
        assertThat(all.values().stream().filter(p -> holds(p, "anonymous_id", anonymousId)))
                .as("profiles holding the cookie").hasSize(1);
    }

    private static String collectorUrl() {
        return "http://127.0.0.1:" + collector.port();
    }

    /** The events of one channel on the job's input topic, as the collector wrote them (checked: key and stamps). */
    private static List<JsonNode> inputEvents(String channel, int expected) {
        String topic = job.topics().events().get(0).name();
        List<JsonNode> events = TopicReader.readUntil(KAFKA.bootstrapServers(), topic,
                r -> ofChannel(r, channel).size() >= expected, Duration.ofSeconds(20)).stream()
                .map(r -> {
                    JsonNode e = parse(r.value());
                    if (!e.path("channel").asText().equals(channel)) {
                        return null;
                    }
                    assertThat(e.get("messageId").asText()).isNotBlank();
                    assertThat(e.has("receivedAt")).isTrue();
                    String id = e.hasNonNull("userId") ? e.get("userId").asText() : e.get("anonymousId").asText();
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(id);
                    return e;
                }).filter(Objects::nonNull).toList();
        assertThat(events).hasSize(expected);
        return events;
    }

    private static List<JsonNode> ofChannel(List<ConsumerRecord<byte[], byte[]>> records, String channel) {
        return records.stream().map(r -> parse(r.value()))
                .filter(e -> e.path("channel").asText().equals(channel)).toList();
    }

    /** Waits for the active profile that holds the identifier and satisfies {@code done}. */
    private static JsonNode profileHolding(String namespace, String value,
            java.util.function.Predicate<JsonNode> done) {
        Map<String, JsonNode> profiles = ProfileTopic.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                p -> p.values().stream().anyMatch(v -> holds(v, namespace, value) && done.test(v)), WAIT);
        List<JsonNode> holding = profiles.values().stream().filter(v -> holds(v, namespace, value)).toList();
        assertThat(holding).as("active profiles holding %s %s", namespace, value).hasSize(1);
        assertThat(done).as("profile %s", holding.get(0)).accepts(holding.get(0));
        return holding.get(0);
    }

    private static boolean holds(JsonNode profile, String namespace, String value) {
        for (JsonNode id : profile.path("identifiers")) {
            if (id.path("namespace").asText().equals(namespace) && id.path("value").asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean entered(List<ConsumerRecord<byte[], byte[]>> changes, String profileId, String segment) {
        return changes.stream().map(r -> parse(r.value())).anyMatch(c -> c.path("type").asText()
                .equals("segment.entered") && c.path("profileId").asText().equals(profileId)
                && c.at("/segment/id").asText().equals(segment));
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() ->
                new AssertionError("no line " + prefix + " in:\n" + out)).substring(prefix.length());
    }

    private static JsonNode parse(byte[] value) {
        try {
            return CollectorIT.JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
