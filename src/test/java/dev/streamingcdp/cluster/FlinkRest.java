package dev.streamingcdp.cluster;

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

/** Read-only questions to a Flink cluster's REST API: what a job's state is, what failed, how often it restarted. */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    FlinkRest(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    JsonNode get(String path) {
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

    String state(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** The job's failures since it was submitted, newest first: each entry's stack trace (empty: none). */
    JsonNode exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
    }

    long restarts(String jobId) {
        for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            return metric.path("value").asLong();
        }
        throw new IllegalStateException("job " + jobId + " reports no numRestarts metric");
    }

    /** Ids of the jobs the cluster knows in {@code state} (RUNNING, RESTARTING, FINISHED ...). */
    List<String> jobsIn(String... states) {
        Set<String> wanted = Set.of(states);
        List<String> ids = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            if (wanted.contains(job.path("state").asText())) {
                ids.add(job.path("jid").asText());
            }
        }
        return ids;
    }
}
