package dev.streamingcdp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Read-only questions to a Flink cluster's REST API: a job's state, its failures and restarts, its checkpoints. */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public FlinkRest(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + path, e);
        }
    }

    public String state(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** The job's failures since it was submitted, newest first: each entry's stack trace (empty: none). */
    public JsonNode exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
    }

    public long restarts(String jobId) {
        for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            return metric.path("value").asLong();
        }
        throw new IllegalStateException("job " + jobId + " reports no numRestarts metric");
    }

    /** Ids of the jobs the cluster knows in {@code state} (RUNNING, RESTARTING, FINISHED ...). */
    public List<String> jobsIn(String... states) {
        Set<String> wanted = Set.of(states);
        List<String> ids = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            if (wanted.contains(job.path("state").asText())) {
                ids.add(job.path("jid").asText());
            }
        }
        return ids;
    }

    /** RUNNING with every task of every vertex RUNNING (a restarting job is RUNNING with tasks still deploying). */
    public boolean allTasksRunning(String jobId) {
        JsonNode detail = get("/jobs/" + jobId);
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
    public long latestCheckpoint(String jobId) {
        JsonNode completed = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return completed.isObject() ? completed.path("id").asLong() : -1;
    }

    /** Epoch millis at which the latest completed checkpoint was acknowledged by all tasks. */
    public long latestCheckpointAcknowledged(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed").path("latest_ack_timestamp")
                .asLong();
    }

    /**
     * Epoch millis at which the job last went to RESTARTING, 0 if never. (Its numRestarts metric, as the REST API
     * reports it, was seen staying at 1 after a second restart.)
     */
    public long lastRestart(String jobId) {
        return get("/jobs/" + jobId).path("timestamps").path("RESTARTING").asLong();
    }
}
