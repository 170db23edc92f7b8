package dev.streamingcdp.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The collector against a real broker: every answer of the tracking API, and what lands in the topic. */
class CollectorIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String KEY = "server-key";
    static final String WEB_KEY = "web-key";
    static JobDefinition job;
    static CollectorServer server;

    @BeforeAll
    static void start() throws Exception {
        job = JobDefinition.load(Path.of("jobs/retail-demo")).withBootstrapServers(KAFKA.bootstrapServers());
        KAFKA.createTopics(job);
        CollectorMetrics metrics = new CollectorMetrics();
        Sources sources = Sources.of(Map.of(
                KEY, new Sources.Source("backend", "server", "-", List.of()),
                WEB_KEY, new Sources.Source("shop", "browser", "-", List.of("http://shop.test"))));
        server = new CollectorServer(new CollectorServer.Settings("127.0.0.1", 0, Duration.ofSeconds(5), 10_000,
                Duration.ofSeconds(5)), sources, new EventWriter(job, metrics), metrics).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void batchIsAcknowledgedAndWrittenAsSentWithServerFields() throws Exception {
        Instant sentAt = Instant.now().minus(Duration.ofHours(1)); // the client's clock is an hour behind
        String body = "{\"batch\":[{\"type\":\"identify\",\"userId\":\"u-batch-1\",\"traits\":{\"email\":\"a@b.c\"},"
                + "\"timestamp\":\"" + sentAt.minusSeconds(10) + "\",\"messageId\":\"m-1\",\"writeKey\":\"" + KEY
                + "\"},{\"type\":\"track\",\"anonymousId\":\"anon-batch-1\",\"event\":\"Viewed\"}],"
                + "\"sentAt\":\"" + sentAt + "\"}";
        HttpResponse<String> r = post("/v1/batch", body, basic(KEY), "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("success").asBoolean()).isTrue();

        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(KAFKA.bootstrapServers(),
                "cdp.events.json", rs -> rs.stream().filter(x -> has(x, "u-batch-1") || has(x, "anon-batch-1"))
                        .count() == 2, Duration.ofSeconds(20));
        JsonNode identify = event(records, "u-batch-1");
        assertThat(new String(key(records, "u-batch-1"), StandardCharsets.UTF_8)).isEqualTo("u-batch-1");
        assertThat(identify.get("traits").get("email").asText()).isEqualTo("a@b.c");
        assertThat(identify.get("messageId").asText()).isEqualTo("m-1");
        assertThat(identify.get("channel").asText()).isEqualTo("server");
        assertThat(identify.has("writeKey")).isFalse();
        // skew corrected: 10 s before receivedAt, not an hour and 10 s in the past
        Instant received = Instant.parse(identify.get("receivedAt").asText());
        assertThat(Duration.between(Instant.parse(identify.get("timestamp").asText()), received).toMillis())
                .isBetween(9_990L, 10_010L);
        JsonNode track = event(records, "anon-batch-1");
        assertThat(new String(key(records, "anon-batch-1"), StandardCharsets.UTF_8)).isEqualTo("anon-batch-1");
        assertThat(track.get("messageId").asText()).startsWith("api-");
        assertThat(track.get("event").asText()).isEqualTo("Viewed");
    }

    @Test
    void browserShortPathWithTextPlainBodyKeyAndAllowedOrigin() throws Exception {
        String body = "{\"anonymousId\":\"anon-web-1\",\"event\":\"Clicked\",\"writeKey\":\"" + WEB_KEY + "\"}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/t")).header("Content-Type", "text/plain")
                .header("Origin", "http://shop.test").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://shop.test");
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(KAFKA.bootstrapServers(),
                "cdp.events.json", rs -> rs.stream().anyMatch(x -> has(x, "anon-web-1")), Duration.ofSeconds(20));
        JsonNode e = event(records, "anon-web-1");
        assertThat(e.get("type").asText()).isEqualTo("track");
        assertThat(e.get("channel").asText()).isEqualTo("browser");

        HttpResponse<String> other = send(HttpRequest.newBuilder(uri("/v1/t")).header("Content-Type", "text/plain")
                .header("Origin", "http://evil.test").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(reason(other)).isEqualTo("origin_not_allowed");
    }

    @Test
    void gzipBodiesAreInflated() throws Exception {
        byte[] gz = gzip("{\"batch\":[{\"type\":\"track\",\"userId\":\"u-gzip\",\"event\":\"Zipped\"}]}");
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/batch")).header("Authorization", basic(KEY))
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(KAFKA.bootstrapServers(),
                "cdp.events.json", rs -> rs.stream().anyMatch(x -> has(x, "u-gzip")), Duration.ofSeconds(20));
        assertThat(event(records, "u-gzip").get("event").asText()).isEqualTo("Zipped");
    }

    @Test
    void unknownOrMissingKeyIs401() throws Exception {
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}]}";
        HttpResponse<String> r = post("/v1/batch", body, basic("nope"), "application/json");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(reason(r)).isEqualTo("unknown_write_key");
        assertThat(post("/v1/batch", body, null, "application/json").statusCode()).isEqualTo(401);
    }

    @Test
    void eachLimitAndMalformedInputIs400WithAReason() throws Exception {
        String big = "x".repeat(Limits.MAX_EVENT_BYTES);
        assertThat(reason400("/v1/batch", "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"" + big
                + "\"}]}")).isEqualTo("event_too_large");
        assertThat(reason400("/v1/track", "{\"userId\":\"u\",\"event\":\"" + big + "\"}")).isEqualTo("body_too_large");
        StringBuilder many = new StringBuilder("{\"batch\":[");
        for (int i = 0; i <= Limits.MAX_BATCH_EVENTS; i++) {
            many.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}");
        }
        assertThat(reason400("/v1/batch", many.append("]}").toString())).isEqualTo("too_many_events");
        String chunk = ",{\"type\":\"track\",\"userId\":\"u\",\"event\":\"" + "y".repeat(30_000) + "\"}";
        String huge = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}" + chunk.repeat(20) + "]}";
        assertThat(reason400("/v1/batch", huge)).isEqualTo("body_too_large");
        byte[] bomb = gzip("{\"batch\":[" + " ".repeat(Limits.MAX_BATCH_BYTES + 1) + "]}");
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/batch")).header("Authorization", basic(KEY))
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(bomb)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("message").asText()).contains("after decompression");
        assertThat(reason400("/v1/batch", "{\"batch\":[")).isEqualTo("bad_json");
        assertThat(reason400("/v1/track", "not json")).isEqualTo("bad_json");
        assertThat(reason400("/v1/batch", "{\"batch\":[]}")).isEqualTo("bad_batch");
        assertThat(reason400("/v1/batch", "{\"batch\":[{\"type\":\"buy\",\"userId\":\"u\"}]}")).isEqualTo("bad_type");
        assertThat(reason400("/v1/track", "{\"event\":\"E\"}")).isEqualTo("no_identity");
        assertThat(reason400("/v1/track", "{\"userId\":\"u\",\"timestamp\":\"yesterday\"}")).isEqualTo("bad_timestamp");
    }

    @Test
    void corsPreflightAnswersAllowedOriginsOnly() throws Exception {
        HttpResponse<String> ok = send(HttpRequest.newBuilder(uri("/v1/t")).header("Origin", "http://shop.test")
                .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://shop.test");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        HttpResponse<String> no = send(HttpRequest.newBuilder(uri("/v1/t")).header("Origin", "http://evil.test")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(no.statusCode()).isEqualTo(403);
    }

    @Test
    void settingsHealthReadyAndMetrics() throws Exception {
        HttpResponse<String> s = send(HttpRequest.newBuilder(uri("/v1/projects/" + WEB_KEY + "/settings")).GET());
        assertThat(s.statusCode()).isEqualTo(200);
        JsonNode seg = JSON.readTree(s.body()).get("integrations").get("Segment.io");
        assertThat(seg.get("apiHost").asText()).isEqualTo("127.0.0.1:" + server.port() + "/v1");
        assertThat(send(HttpRequest.newBuilder(uri("/v1/projects/nope/settings")).GET()).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/health")).GET()).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/ready")).GET()).statusCode()).isEqualTo(200);
        post("/v1/track", "{\"userId\":\"u-metrics\",\"event\":\"E\"}", basic(KEY), "application/json");
        String metrics = send(HttpRequest.newBuilder(uri("/metrics")).GET()).body();
        assertThat(metrics).contains("cdp_collector_requests_total{path=\"/v1/track\",status=\"200\"}")
                .contains("cdp_collector_events_accepted_total{source=\"backend\"}")
                .contains("cdp_collector_kafka_send_seconds_bucket");
    }

    private String reason400(String path, String body) throws Exception {
        HttpResponse<String> r = post(path, body, basic(KEY), "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        return reason(r);
    }

    static String reason(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("error").asText();
    }

    static HttpResponse<String> post(String path, String body, String auth, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return send(b);
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static boolean has(ConsumerRecord<byte[], byte[]> r, String id) {
        return new String(r.value(), StandardCharsets.UTF_8).contains("\"" + id + "\"");
    }

    static JsonNode event(List<ConsumerRecord<byte[], byte[]>> records, String id) throws Exception {
        return JSON.readTree(records.stream().filter(r -> has(r, id)).findFirst().orElseThrow().value());
    }

    static byte[] key(List<ConsumerRecord<byte[], byte[]>> records, String id) {
        return records.stream().filter(r -> has(r, id)).findFirst().orElseThrow().key();
    }
}
