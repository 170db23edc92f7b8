package dev.streamingcdp.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import dev.streamingcdp.testing.KafkaProcess;
import dev.streamingcdp.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collector against a real broker process (bin/kafka, ports 23092/23093, its log on disk under
 * target/collector-fault-it) that goes away: the real analytics-node gets 503 while the broker is down and its own
 * retry delivers the event once the broker is back; and under load from several clients, the broker SIGKILLed and
 * restarted, every event that got a 200 is in the topic exactly once and exactly as sent.
 */
class CollectorBrokerFaultIT {

    private static final Path WORK = Path.of("target/collector-fault-it");
    private static final String KEY = "fault-key";
    private static final int CLIENTS = 4;
    private static final int EVENTS_PER_REQUEST = 50;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static KafkaProcess broker;
    private static JobDefinition job;
    private static String topic;

    @BeforeAll
    static void startBroker() throws Exception {
        if (Files.exists(WORK)) {
            try (Stream<Path> old = Files.walk(WORK)) {
                old.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        broker = new KafkaProcess(WORK, 23092, 23093);
        broker.start();
        job = JobDefinition.load(Path.of("jobs/retail-demo")).withBootstrapServers(broker.bootstrapServers());
        TopicAdmin.createMissing(broker.bootstrapServers(), Map.of(), TopicRegistry.topics(job));
        topic = job.topics().events().get(0).name();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void analyticsNodeGets503WhileTheBrokerIsDownAndItsRetryDelivers() throws Exception {
        NodeClients.install();
        broker.stop();
        String messageId = "retry-" + System.nanoTime();
        // started while the broker is down: its producer has no metadata, so a refused event is never buffered
        try (CollectorServer collector = collector(Duration.ofSeconds(10))) {
            NodeClients.Running sdk = NodeClients.start(List.of("node", "send-retry.mjs",
                    "http://127.0.0.1:" + collector.port(), KEY, "retry-user", messageId));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!scrape(collector).contains("path=\"/v1/batch\",status=\"503\"")) {
                assertThat(System.nanoTime()).as("a 503 for the SDK's first send").isLessThan(deadline);
                Thread.sleep(100);
            }
            broker.start();
            String out = sdk.finish(90);
            assertThat(out).contains("status=503").contains("status=200").contains("ok");
            assertThat(out.indexOf("status=503")).isLessThan(out.indexOf("status=200"));
        }
        TopicReader.readUntil(broker.bootstrapServers(), topic, r -> count(r, messageId) > 0, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> all = TopicReader.readAll(broker.bootstrapServers(), topic,
                Duration.ofSeconds(3));
        List<JsonNode> found = all.stream().map(r -> parse(r.value()))
                .filter(e -> e.path("messageId").asText().equals(messageId)).toList();
        assertThat(found).as("the event in the topic, once").hasSize(1);
        JsonNode e = found.get(0);
        assertThat(e.get("type").asText()).isEqualTo("track");
        assertThat(e.get("userId").asText()).isEqualTo("retry-user");
        assertThat(e.get("event").asText()).isEqualTo("Order Completed");
        assertThat(e.at("/properties/revenue").asInt()).isEqualTo(42);
        assertThat(e.at("/properties/currency").asText()).isEqualTo("EUR");
    }

    @Test
    void everyAcknowledgedEventSurvivesABrokerKillDuringLoad() throws Exception {
        broker.start();
        ConcurrentMap<String, ObjectNode> acknowledged = new ConcurrentHashMap<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Map<Integer, Integer> afterRestart = new ConcurrentHashMap<>();
        AtomicBoolean restarted = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (CollectorServer collector = collector(Duration.ofSeconds(3))) {
            URI uri = URI.create("http://127.0.0.1:" + collector.port() + "/v1/batch");
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        List<ObjectNode> batch = batch(client, n);
                        int status = post(uri, batch);
                        statuses.merge(status, 1, Integer::sum);
                        if (restarted.get()) {
                            afterRestart.merge(status, 1, Integer::sum);
                        }
                        if (status == 200) {
                            batch.forEach(e -> acknowledged.put(e.get("messageId").asText(), e));
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(4_000);
            int beforeKill = acknowledged.size();
            broker.kill();
            // longer than the producer keeps an event: a 200 given before Kafka's acknowledgement would show as a loss
            Thread.sleep(6_000);
            broker.start();
            restarted.set(true);
            Thread.sleep(6_000);
            stop.set(true);
            for (Future<?> f : running) {
                f.get();
            }
            System.out.printf("collector under a broker kill: %d events acknowledged (%d before the kill), "
                    + "answers %s, after the restart %s%n", acknowledged.size(), beforeKill, statuses, afterRestart);
            assertThat(beforeKill).as("acknowledged before the kill").isPositive();
            assertThat(statuses).as("answers while the broker was down").containsKey(503);
            assertThat(afterRestart.getOrDefault(200, 0)).as("200s after the restart").isPositive();
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }

        Map<String, List<JsonNode>> inTopic = new HashMap<>();
        int[] read = {0};
        TopicReader.readUntil(broker.bootstrapServers(), topic, r -> {
            for (; read[0] < r.size(); read[0]++) { // only what this poll added
                JsonNode e = parse(r.get(read[0]).value());
                inTopic.computeIfAbsent(e.path("messageId").asText(), k -> new ArrayList<>()).add(e);
            }
            return inTopic.keySet().containsAll(acknowledged.keySet());
        }, Duration.ofSeconds(45));
        List<String> lost = acknowledged.keySet().stream().filter(id -> !inTopic.containsKey(id)).sorted().toList();
        assertThat(lost.size()).as("acknowledged events missing from the topic (of %d), the first: %s",
                acknowledged.size(), lost.subList(0, Math.min(20, lost.size()))).isZero();
        for (ObjectNode sent : acknowledged.values()) {
            List<JsonNode> stored = inTopic.get(sent.get("messageId").asText());
            assertThat(stored).as("copies of %s", sent.get("messageId")).hasSize(1);
            JsonNode e = stored.get(0);
            for (String field : List.of("type", "messageId", "userId", "event", "properties")) {
                assertThat(e.get(field)).as("%s of %s", field, sent.get("messageId")).isEqualTo(sent.get(field));
            }
            assertThat(e.get("originalTimestamp")).isEqualTo(sent.get("timestamp"));
        }
    }

    private static CollectorServer collector(Duration ackTimeout) {
        CollectorMetrics metrics = new CollectorMetrics();
        Sources sources = Sources.of(Map.of(KEY, new Sources.Source("load", "server", "-", List.of())));
        return new CollectorServer(new CollectorServer.Settings("127.0.0.1", 0, ackTimeout, 100_000,
                Duration.ofSeconds(5)), sources, new EventWriter(job, metrics,
                new EventWriter.Tuning(Duration.ofMillis(1), 256 * 1024, ackTimeout)), metrics).start();
    }

    /** Events with unique messageIds; the properties carry client, request and position, so a mix-up shows. */
    private static List<ObjectNode> batch(int client, int n) {
        List<ObjectNode> events = new ArrayList<>(EVENTS_PER_REQUEST);
        String now = Instant.now().toString();
        for (int i = 0; i < EVENTS_PER_REQUEST; i++) {
            ObjectNode e = CollectorIT.JSON.createObjectNode().put("type", "track")
                    .put("messageId", "load-" + client + "-" + n + "-" + i)
                    .put("userId", "load-user-" + client + "-" + (i % 7)).put("event", "Product Viewed")
                    .put("timestamp", now);
            e.putObject("properties").put("client", client).put("request", n).put("position", i)
                    .put("sku", "SKU-" + (n * EVENTS_PER_REQUEST + i));
            events.add(e);
        }
        return events;
    }

    /** Posts one batch; a connection error or a timeout counts as status 0. */
    private static int post(URI uri, List<ObjectNode> events) {
        ObjectNode body = CollectorIT.JSON.createObjectNode().put("sentAt", Instant.now().toString());
        ArrayNode batch = body.putArray("batch");
        events.forEach(batch::add);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Authorization", CollectorIT.basic(KEY)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static long count(List<ConsumerRecord<byte[], byte[]>> records, String messageId) {
        return records.stream().filter(r -> parse(r.value()).path("messageId").asText().equals(messageId)).count();
    }

    private static String scrape(CollectorServer collector) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + "/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode parse(byte[] value) {
        try {
            return CollectorIT.JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
