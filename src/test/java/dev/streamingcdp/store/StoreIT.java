package dev.streamingcdp.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.Postgres;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real job on a MiniCluster with a real broker writes a real PostgreSQL: the demo stories land in the store, a
 * merged profile is found by each of its identifiers, its absorbed id redirects, an erasure leaves no row of hers,
 * the job rides out the database going down and up again without a restart, and records waiting for the database
 * when the job stops with a savepoint are written by the job resumed from it.
 */
class StoreIT {

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Short, so that the outage below lasts many checkpoint timeouts without making the test slow. */
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(3);

    @RegisterExtension
    static final Postgres DB = new Postgres();

    @TempDir
    static Path checkpoints;

    @TempDir
    static Path savepoints;

    private final StoreQueries q = new StoreQueries(DB);

    @Test
    void theJobKeepsTheStoreCurrentThroughMergesErasureAndADatabaseRestart() throws Exception {
        JobDefinition job = withCheckpointTimeout(TestJobs.retailDemo(KAFKA.bootstrapServers(), "store",
                checkpoints).withStore(DB.settings()), CHECKPOINT_TIMEOUT);
        KAFKA.createTopics(job);
        String events = job.topics().events().get(0).name();
        JobClient client = TestPipelines.start(job, IdentityRules.load(DEMO), SegmentCatalog.load(DEMO));
        JobClient resumed = null;
        try {
            // Jane browses anonymously, then logs in: her cookie profile merges into her known one
            produce(events, "cookie-jane",
                    event("page", "m-jane-1", 0).put("anonymousId", "cookie-jane").put("name", "Shoes"),
                    product(event("track", "m-jane-2", 1).put("anonymousId", "cookie-jane")));
            String cookie = ProfileId.of(new Identifier("anonymous_id", "cookie-jane"));
            waitFor("the cookie profile in the store", () -> "1".equals(
                    q.one("SELECT count(*) FROM profiles WHERE profile_id = ?", cookie)));
            ObjectNode login = event("identify", "m-jane-3", 2).put("userId", "jane-doe-7")
                    .put("anonymousId", "cookie-jane");
            login.putObject("traits").put("email", " Jane.Doe@Example.com ").put("first_name", "Jane");
            produce(events, "jane-doe-7", login);
            String jane = ProfileId.of(new Identifier("user_id", "jane-doe-7"));
            waitFor("all three identifiers of Jane on one profile", () -> q.strings(
                    "SELECT profile_id FROM identifiers WHERE (namespace, value) IN (('user_id', 'jane-doe-7'),"
                            + " ('email', 'jane.doe@example.com'), ('anonymous_id', 'cookie-jane'))")
                    .equals(List.of(jane, jane, jane)));
            waitFor("the cookie profile absorbed", () -> jane.equals(
                    q.one("SELECT survivor_id FROM redirects WHERE absorbed_id = ?", cookie)));
            assertThat(q.one("SELECT count(*) FROM profiles WHERE profile_id = ?", cookie)).isEqualTo("0");
            waitFor("Jane's merged profile with her traits and history", () -> "Jane".equals(
                    q.one("SELECT traits ->> 'first_name' FROM profiles WHERE profile_id = ?", jane))
                    && "1".equals(q.one("SELECT snapshot -> 'eventCounts' ->> 'page' FROM profiles"
                            + " WHERE profile_id = ?", jane)));
            waitFor("Jane in prospecting-ads with the facts that decided it", () -> q.strings(
                    "SELECT profile_id FROM segment_memberships WHERE segment_id = 'prospecting-ads' AND member")
                    .contains(jane));
            assertThat(q.one("SELECT reason -> 'facts' FROM segment_memberships WHERE profile_id = ?"
                    + " AND segment_id = 'prospecting-ads'", jane)).contains("Product Viewed");

            // Eva is in the store, then asks to be erased
            ObjectNode eva = event("identify", "m-eva-1", 0).put("userId", "eva-store-1");
            eva.putObject("traits").put("email", "eva.store@example.com").put("first_name", "Eva");
            produce(events, "eva-store-1", eva, product(event("track", "m-eva-2", 1).put("userId", "eva-store-1")));
            String evaId = ProfileId.of(new Identifier("user_id", "eva-store-1"));
            // her e-mail claimed: the erasure by e-mail then meets a settled profile
            waitFor("Eva's profile with her e-mail", () -> evaId.equals(
                    q.one("SELECT profile_id FROM identifiers WHERE value = 'eva.store@example.com'")));
            ObjectNode erase = JSON.createObjectNode().put("requestId", "req-store-eva").put("type", "ERASE");
            erase.putObject("identifier").put("type", "email").put("value", "Eva.Store@example.com");
            produce(job.topics().privacyRequests(), "req-store-eva", erase);
            waitFor("no row of Eva's", () -> q.rowsOf(evaId) == 0, () -> q.describe(evaId));
            assertThat(q.strings("SELECT value FROM identifiers WHERE value LIKE '%eva%'")).isEmpty();
            assertThat(q.strings("SELECT profile_id FROM profiles WHERE snapshot::text LIKE '%Eva%'")).isEmpty();

            // the database goes down for many checkpoint timeouts while Dora arrives: checkpoints go on completing
            // (her records wait in the sink's checkpointed state), and the store catches up when it is back
            DB.stop();
            long completedBefore = completedCheckpoints(client);
            ObjectNode dora = event("identify", "m-dora-1", 3).put("userId", "dora-9");
            dora.putObject("traits").put("email", "dora@example.com");
            produce(events, "dora-9", dora);
            Thread.sleep(OUTAGE.toMillis());
            long completedDuringOutage = completedCheckpoints(client) - completedBefore;
            DB.start();
            assertThat(completedDuringOutage).as("checkpoints completed while the store was down")
                    .isGreaterThanOrEqualTo(3);
            waitFor("Dora in the store after the restart", () -> "1".equals(
                    q.one("SELECT count(*) FROM identifiers WHERE value = 'dora@example.com'")));
            assertThat(restarts(client)).as("restarts of the job").isZero();

            // down again, and the job stopped with a savepoint while Ola's records wait in the sink: the job resumed
            // from it writes them (nothing replays her event, so they can only come from the sink's state)
            DB.stop();
            ObjectNode ola = event("identify", "m-ola-1", 4).put("userId", "ola-4");
            ola.putObject("traits").put("email", "ola@example.com");
            produce(events, "ola-4", ola);
            long completed = completedCheckpoints(client);
            waitFor("two checkpoints after Ola's event", () -> completedCheckpoints(client) >= completed + 2);
            String savepoint = client.stopWithSavepoint(false, savepoints.toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
            DB.start();
            resumed = TestPipelines.startFrom(job, IdentityRules.load(DEMO), savepoint);
            waitFor("Ola in the store, from the savepoint", () -> "1".equals(
                    q.one("SELECT count(*) FROM identifiers WHERE value = 'ola@example.com'")));
        } finally {
            (resumed != null ? resumed : client).cancel().get();
        }
    }

    private static ObjectNode event(String type, String messageId, int minute) {
        return JSON.createObjectNode().put("type", type).put("messageId", messageId)
                .put("timestamp", T.plus(Duration.ofMinutes(minute)).toString()).put("channel", "browser");
    }

    private static ObjectNode product(ObjectNode track) {
        track.put("event", "Product Viewed").putObject("properties").put("category", "running-shoes");
        return track;
    }

    private static void produce(String topic, String key, ObjectNode... records) {
        TestPipelines.produce(KAFKA.bootstrapServers(), java.util.Arrays.stream(records)
                .map(r -> new TestPipelines.Input(topic, key, r.toString().getBytes(StandardCharsets.UTF_8)))
                .toList());
    }

    private static void waitFor(String what, BooleanSupplier done) throws InterruptedException {
        waitFor(what, done, () -> "");
    }

    private static void waitFor(String what, BooleanSupplier done, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + " " + state.get());
            }
            Thread.sleep(200);
        }
    }

    private static JobDefinition withCheckpointTimeout(JobDefinition j, Duration timeout) {
        JobDefinition.Checkpoint cp = j.checkpoint();
        return new JobDefinition(j.name(), j.parallelism(), j.kafka(), j.topics(), j.delivery(),
                new JobDefinition.Checkpoint(cp.interval(), timeout, cp.minPause(), cp.dir()), j.state(), j.ingest(),
                j.profiles(), j.segments(), j.privacy(), j.network(), j.store(), j.serve());
    }

    private static long completedCheckpoints(JobClient client) {
        try {
            return rest(client, "/checkpoints").path("counts").path("completed").asLong(-1);
        } catch (Exception e) {
            throw new IllegalStateException("the cluster did not answer", e);
        }
    }

    private static JsonNode rest(JobClient client, String path) throws Exception {
        var conf = FLINK.getClientConfiguration();
        URI uri = URI.create("http://" + conf.get(RestOptions.ADDRESS) + ":" + conf.get(RestOptions.PORT)
                + "/jobs/" + client.getJobID() + path);
        return JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The job's numRestarts over the cluster's REST API (the test's restart strategy would hide a failure). */
    private static long restarts(JobClient client) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            JsonNode metrics = rest(client, "/metrics?get=numRestarts");
            if (metrics.isArray() && !metrics.isEmpty()) {
                return metrics.get(0).path("value").asLong(-1);
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the cluster never reported numRestarts");
    }
}
