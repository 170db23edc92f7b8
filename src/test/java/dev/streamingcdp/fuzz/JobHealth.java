package dev.streamingcdp.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;

/**
 * Whether the job ran without a hitch: its status, sampled while the test runs, and what the cluster's REST API
 * says about restarts and failures. The test's restart strategy would otherwise hide a crash behind a restart.
 */
final class JobHealth implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobClient client;
    private final URI rest;
    private final Set<JobStatus> seen = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newHttpClient();

    JobHealth(JobClient client, Configuration clusterClient) {
        this.client = client;
        this.rest = URI.create("http://" + clusterClient.get(RestOptions.ADDRESS) + ":"
                + clusterClient.get(RestOptions.PORT) + "/jobs/" + client.getJobID() + "/");
        sampler.scheduleWithFixedDelay(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            seen.add(client.getJobStatus().get());
        } catch (Exception e) {
            seen.add(JobStatus.FAILED); // no status: no healthy job either
        }
    }

    /** Every status the job had while sampled (INITIALIZING, CREATED and RUNNING for a healthy start). */
    Set<JobStatus> statusesSeen() {
        return Set.copyOf(seen);
    }

    /** The job's numRestarts metric; waits for the metric fetcher to have it. */
    long restarts() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            JsonNode metrics = get("metrics?get=numRestarts");
            if (metrics.isArray() && !metrics.isEmpty()) {
                return metrics.get(0).path("value").asLong(-1);
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("the cluster never reported numRestarts");
    }

    /** The failures the job saw (each would have caused a restart), as the REST API reports them. */
    JsonNode exceptionHistory() throws IOException, InterruptedException {
        return get("exceptions").path("exceptionHistory").path("entries");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
