package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The few Flink REST calls the benchmark reads: the running job, its vertices' metrics, its checkpoints. */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    FlinkRest(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Waits until the cluster runs a job whose tasks all run, and returns its id. */
    String awaitRunningJob(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                for (JsonNode job : get("/jobs/overview").path("jobs")) {
                    if (job.path("state").asText().equals("RUNNING") && allTasksRunning(job.path("jid").asText())) {
                        return job.path("jid").asText();
                    }
                }
            } catch (IOException e) {
                last = e; // the MiniCluster is still starting
            }
            Thread.sleep(250);
        }
        throw new IOException("no running job at " + base + " after " + timeout.toSeconds() + "s", last);
    }

    private boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            if (!vertex.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    List<String> vertexIds(String jobId) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        get("/jobs/" + jobId).path("vertices").forEach(v -> ids.add(v.path("id").asText()));
        return ids;
    }

    /** The ids of a vertex's metrics (aggregated over its subtasks) that match {@code pattern}. */
    List<String> metricIds(String jobId, String vertexId, Pattern pattern) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics")) {
            String id = m.path("id").asText();
            if (pattern.matcher(id).matches()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** One metric summed over the vertex's subtasks; empty while no subtask reports it. */
    Optional<Double> sum(String jobId, String vertexId, String metricId) throws IOException, InterruptedException {
        JsonNode values = get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics?agg=sum&get="
                + URLEncoder.encode(metricId, StandardCharsets.UTF_8));
        for (JsonNode m : values) {
            if (m.has("sum")) {
                return Optional.of(m.path("sum").asDouble());
            }
        }
        return Optional.empty();
    }

    /**
     * Records received over the network by all of the job's vertices (the job overview's read-records): one request,
     * where a metric query per vertex cost the REST server, in the job's own JVM, several percent of its CPU.
     */
    double networkRecordsIn(String jobId) throws IOException, InterruptedException {
        double sum = 0;
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            sum += vertex.path("metrics").path("read-records").asDouble(0);
        }
        return sum;
    }

    JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints");
    }
}
