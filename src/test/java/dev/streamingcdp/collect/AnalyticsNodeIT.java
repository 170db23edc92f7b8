package dev.streamingcdp.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real @segment/analytics-node 3.1.0 sends through the collector into the job's input topic, unchanged. */
class AnalyticsNodeIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @Test
    void everyCallOfTheSdkArrivesAsSegmentJson() throws Exception {
        NodeClients.install();
        var job = dev.streamingcdp.config.JobDefinition.load(java.nio.file.Path.of("jobs/retail-demo"))
                .withBootstrapServers(KAFKA.bootstrapServers());
        KAFKA.createTopics(job);
        CollectorMetrics metrics = new CollectorMetrics();
        Sources sources = Sources.of(Map.of("node-key", new Sources.Source("backend", "server", "-", List.of())));
        try (CollectorServer server = new CollectorServer(new CollectorServer.Settings("127.0.0.1", 0,
                Duration.ofSeconds(5), 10_000, Duration.ofSeconds(5)), sources, new EventWriter(job, metrics),
                metrics).start()) {
            String out = NodeClients.run(List.of("node", "send-node.mjs", "http://127.0.0.1:" + server.port(),
                    "node-key"), 60);
            assertThat(out).contains("ok");
        }
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(KAFKA.bootstrapServers(),
                "cdp.events.json", r -> r.size() >= 6, Duration.ofSeconds(20));
        List<String> types = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode e = CollectorIT.JSON.readTree(r.value());
            types.add(e.get("type").asText());
            assertThat(e.get("channel").asText()).isEqualTo("server");
            assertThat(e.get("messageId").asText()).isNotBlank();
            assertThat(e.has("receivedAt")).isTrue();
            String id = e.hasNonNull("userId") ? e.get("userId").asText() : e.get("anonymousId").asText();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(id);
        }
        assertThat(types).containsExactlyInAnyOrder("identify", "alias", "identify", "track", "page", "group");
        JsonNode track = records.stream().map(r -> {
            try {
                return CollectorIT.JSON.readTree(r.value());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(e -> e.get("type").asText().equals("track")).findFirst().orElseThrow();
        assertThat(track.get("event").asText()).isEqualTo("Order Completed");
        assertThat(track.get("properties").get("revenue").asInt()).isEqualTo(120);
        assertThat(track.get("context").get("library").get("name").asText()).isEqualTo("@segment/analytics-node");
    }
}
