package dev.streamingcdp.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** No broker answers: requests get 503 (the SDKs retry) and, past the in-flight budget, 429 with Retry-After. */
class CollectorUnavailableIT {

    @Test
    void brokerDownIs503AndAFullBudgetIs429() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort(); // closed again: nothing listens there
        }
        JobDefinition job = JobDefinition.load(Path.of("jobs/retail-demo"))
                .withBootstrapServers("127.0.0.1:" + deadPort);
        CollectorMetrics metrics = new CollectorMetrics();
        Sources sources = Sources.of(Map.of(CollectorIT.KEY, new Sources.Source("backend", "server", "-", List.of())));
        CollectorIT.server = new CollectorServer(new CollectorServer.Settings("127.0.0.1", 0, Duration.ofSeconds(3),
                Limits.MAX_BATCH_EVENTS, Duration.ofSeconds(5)), sources, new EventWriter(job, metrics), metrics)
                .start();
        try {
            StringBuilder full = new StringBuilder("{\"batch\":[");
            for (int i = 0; i < Limits.MAX_BATCH_EVENTS; i++) {
                full.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"userId\":\"u").append(i)
                        .append("\",\"event\":\"E\"}");
            }
            String fullBatch = full.append("]}").toString();
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return CollectorIT.post("/v1/batch", fullBatch, CollectorIT.basic(CollectorIT.KEY),
                            "application/json");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the first request holds the whole budget while it waits for the broker
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!CollectorIT.send(java.net.http.HttpRequest.newBuilder(CollectorIT.uri("/metrics")).GET()).body()
                    .contains("cdp_collector_in_flight_events " + Limits.MAX_BATCH_EVENTS)) {
                assertThat(System.nanoTime()).as("the first request holds the budget").isLessThan(deadline);
                Thread.sleep(20);
            }
            HttpResponse<String> second = CollectorIT.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}",
                    CollectorIT.basic(CollectorIT.KEY), "application/json");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(CollectorIT.reason(second)).isEqualTo("too_many_in_flight");

            HttpResponse<String> r = first.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(CollectorIT.reason(r)).isEqualTo("kafka_unavailable");
            assertThat(CollectorIT.send(java.net.http.HttpRequest.newBuilder(CollectorIT.uri("/ready")).GET())
                    .statusCode()).isEqualTo(503);
        } finally {
            CollectorIT.server.close();
            CollectorIT.server = null;
        }
    }
}
