package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checkpoint figures from the REST API, taken from a checkpoint that completed after the work was done. */
final class CheckpointStats {

    private CheckpointStats() {}

    static Results.Checkpoints after(FlinkRest flink, String jobId, long afterMillis, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode all = flink.checkpoints(jobId);
        while (all.path("latest").path("completed").path("latest_ack_timestamp").asLong() < afterMillis
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            all = flink.checkpoints(jobId);
        }
        JsonNode last = all.path("latest").path("completed");
        JsonNode duration = all.path("summary").path("end_to_end_duration");
        return new Results.Checkpoints(all.path("counts").path("completed").asInt(),
                last.path("state_size").asLong(), last.path("checkpointed_size").asLong(),
                duration.path("avg").asLong(), duration.path("p99").asLong(), duration.path("max").asLong(),
                last.isMissingNode() ? List.of() : byVertex(flink, jobId, last.path("id").asLong()));
    }

    private static List<Results.VertexState> byVertex(FlinkRest flink, String jobId, long checkpointId)
            throws IOException, InterruptedException {
        Map<String, String> names = new HashMap<>();
        flink.get("/jobs/" + jobId).path("vertices").forEach(v -> names.put(v.path("id").asText(),
                v.path("name").asText()));
        List<Results.VertexState> states = new ArrayList<>();
        flink.get("/jobs/" + jobId + "/checkpoints/details/" + checkpointId).path("tasks").fields()
                .forEachRemaining(e -> states.add(new Results.VertexState(
                        names.getOrDefault(e.getKey(), e.getKey()), e.getValue().path("state_size").asLong())));
        states.sort((a, b) -> Long.compare(b.stateBytes(), a.stateBytes()));
        return states;
    }
}
