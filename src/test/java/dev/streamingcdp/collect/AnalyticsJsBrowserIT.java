package dev.streamingcdp.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TopicReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real analytics.js (@segment/analytics-next's browser bundle) on a page in headless Chromium. */
class AnalyticsJsBrowserIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir
    Path profileDir;

    @Test
    void pageIdentifyAndTrackArriveWithThePagesAnonymousId() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium is not installed (apt-get install chromium)");
        Path dir = NodeClients.install();
        JobDefinition job = JobDefinition.load(Path.of("jobs/retail-demo")).withBootstrapServers(KAFKA.bootstrapServers());
        KAFKA.createTopics(job);
        HttpServer shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String origin = "http://127.0.0.1:" + shop.getAddress().getPort();
        CollectorMetrics metrics = new CollectorMetrics();
        Sources sources = Sources.of(Map.of("web-key", new Sources.Source("shop", "browser", "-", List.of(origin))));
        String anonymousId;
        try (CollectorServer collector = new CollectorServer(new CollectorServer.Settings("127.0.0.1", 0,
                Duration.ofSeconds(5), 10_000, Duration.ofSeconds(5)), sources, new EventWriter(job, metrics),
                metrics).start()) {
            byte[] bundle = Files.readAllBytes(dir.resolve("node_modules/@segment/analytics-next/dist/umd/index.js"));
            String html = Files.readString(Path.of("src/test/resources/collect/shop.html")).replace("<script src=",
                    "<script>window.COLLECTOR='http://127.0.0.1:" + collector.port() + "'</script><script src=");
            shop.createContext("/", ex -> {
                boolean js = ex.getRequestURI().getPath().equals("/analytics.js");
                byte[] body = js ? bundle : html.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", js ? "application/javascript" : "text/html");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            shop.start();
            try {
                String out = NodeClients.run(List.of("node", "browser.mjs", origin + "/", profileDir.toString()), 90);
                anonymousId = out.lines().filter(l -> l.startsWith("anonymousId=")).findFirst().orElseThrow()
                        .substring("anonymousId=".length());
            } finally {
                shop.stop(0);
            }
        }
        assertThat(anonymousId).isNotBlank();
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(KAFKA.bootstrapServers(),
                "cdp.events.json", r -> r.size() >= 3, Duration.ofSeconds(20));
        List<String> types = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode e = CollectorIT.JSON.readTree(r.value());
            types.add(e.get("type").asText());
            assertThat(e.get("anonymousId").asText()).isEqualTo(anonymousId);
            assertThat(e.get("channel").asText()).isEqualTo("browser");
            if (!e.get("type").asText().equals("page")) {
                assertThat(e.get("userId").asText()).isEqualTo("browser-user-1");
            }
        }
        assertThat(types).containsExactlyInAnyOrder("page", "identify", "track");
    }
}
