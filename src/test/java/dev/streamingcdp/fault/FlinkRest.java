package dev.streamingcdp.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the fault test asks the cluster's REST API about one job: its tasks, checkpoints and restarts. */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String job;

    FlinkRest(int port, String job) {
        this.base = "http://127.0.0.1:" + port;
        this.job = job;
    }

    /** RUNNING with every task of every vertex RUNNING (a restarting job is RUNNING with tasks still deploying). */
    boolean allTasksRunning() {
        JsonNode detail = get("/jobs/" + job);
        if (!"RUNNING".equals(detail.path("state").asText())) {
            return false;
        }
        for (JsonNode v : detail.path("vertices")) {
            var states = v.path("tasks").fields();
            while (states.hasNext()) {
                var s = states.next();
                if (!s.getKey().equals("RUNNING") && s.getValue().asInt() > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Id of the latest completed checkpoint, -1 when none completed yet. */
    long latestCheckpoint() {
        JsonNode completed = get("/jobs/" + job + "/checkpoints").path("latest").path("completed");
        return completed.isObject() ? completed.path("id").asLong() : -1;
    }

    /** Epoch millis at which the latest completed checkpoint was acknowledged by all tasks. */
    long latestCheckpointAcknowledged() {
        return get("/jobs/" + job + "/checkpoints").path("latest").path("completed").path("latest_ack_timestamp")
                .asLong();
    }

    /**
     * Epoch millis at which the job last went to RESTARTING, 0 if never. (Its numRestarts metric, as the REST API
     * reports it, was seen staying at 1 after a second restart.)
     */
    long lastRestart() {
        return get("/jobs/" + job).path("timestamps").path("RESTARTING").asLong();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
