package dev.streamingcdp.store;

import static dev.streamingcdp.store.StoreProceduresIT.id;
import static dev.streamingcdp.store.StoreProceduresIT.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.StoreSettings;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.testing.Postgres;
import dev.streamingcdp.testing.TestPipelines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store sink alone on a MiniCluster and a real PostgreSQL: with the database down from the start, more records
 * arrive than {@code maxBuffered} allows to wait, so the sink holds the job back with at most that many waiting
 * until the database is up; then every record is written (the last ones at the end of the input), none lost.
 */
class StoreSinkIT {

    private static final int PROFILES = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @RegisterExtension
    static final Postgres DB = new Postgres();

    @Test
    void aFullBufferWaitsForTheDatabaseAndLosesNothing() throws Exception {
        StoreSettings small = new StoreSettings(DB.jdbcUrl(), "postgres", "", 10, Duration.ofMillis(100), 3, 50);
        List<ProfileUpdate> updates = IntStream.range(0, PROFILES)
                .mapToObj(i -> snapshot("p-sink-" + i, 1, "gold", id("user_id", "sink-" + i))).toList();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(updates).uid("updates").name("updates")
                .sinkTo(new StoreSink<>(small, StoreStatements.APPLY_PROFILE, StoreStatements::profile,
                        ProfileUpdate.class)).uid("store").name("store");

        DB.stop();
        JobClient job = env.executeAsync("store sink with the database down");
        Thread.sleep(3_000);
        assertThat(job.getJobStatus().get().isTerminalState()).as("the job waits for the database").isFalse();
        assertThat(pendingRecords(job)).as("records waiting in the sink, at most maxBuffered").isBetween(10L, 50L);
        DB.start();
        job.getJobExecutionResult().get();

        assertThat(new StoreQueries(DB).strings("SELECT count(*) FROM profiles WHERE profile_id LIKE 'p-sink-%'"))
                .containsExactly(String.valueOf(PROFILES));
    }

    /** The sink's storePendingRecords gauge, over the cluster's REST API. */
    private static long pendingRecords(JobClient job) throws Exception {
        var conf = FLINK.getClientConfiguration();
        String base = "http://" + conf.get(RestOptions.ADDRESS) + ":" + conf.get(RestOptions.PORT) + "/jobs/"
                + job.getJobID();
        String vertex = get(base).at("/vertices/0/id").asText();
        for (int attempt = 0; attempt < 50; attempt++) {
            for (JsonNode metric : get(base + "/vertices/" + vertex + "/metrics")) {
                String name = metric.get("id").asText();
                if (name.endsWith(".storePendingRecords")) {
                    return get(base + "/vertices/" + vertex + "/metrics?get=" + name).at("/0/value").asLong();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no storePendingRecords metric");
    }

    private static JsonNode get(String uri) throws Exception {
        return JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void onlyConnectionTroubleIsWaitedOut() {
        assertThat(StoreWriter.transientFailure(new SQLException("refused", "08001"))).isTrue();
        assertThat(StoreWriter.transientFailure(new SQLException("shutting down", "57P01"))).isTrue();
        assertThat(StoreWriter.transientFailure(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(StoreWriter.transientFailure(new SQLException("lost the socket"))).isTrue();
        assertThat(StoreWriter.transientFailure(new SQLException("no such procedure", "42883"))).isFalse();
        assertThat(StoreWriter.transientFailure(new SQLException("bad json", "22P02"))).isFalse();
    }
}
