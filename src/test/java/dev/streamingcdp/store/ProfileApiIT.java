package dev.streamingcdp.store;

import static dev.streamingcdp.store.StoreProceduresIT.id;
import static dev.streamingcdp.store.StoreProceduresIT.merged;
import static dev.streamingcdp.store.StoreProceduresIT.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.StoreSettings;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.store.api.ProfileApi;
import dev.streamingcdp.testing.Postgres;
import io.javalin.Javalin;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Profile API on a real server over a real PostgreSQL: every endpoint and every error. */
class ProfileApiIT {

    static final String KEY = "test-read-key-1";
    static final String KEY_SHA256 = "sha256:" + HexFormat.of().formatHex(sha256(KEY));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The demo job's identifier normalisation (its ingest settings: phones without a country code are US). */
    static final EventNormalizer NORMALIZER = EventNormalizer.of(JobDefinition.load(Path.of("jobs/retail-demo"))
            .ingest());
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final Postgres DB = new Postgres();

    private static HikariDataSource pool;
    private static Javalin server;

    @BeforeAll
    static void start() throws Exception {
        fill(DB);
        pool = ServeCommand.pool(DB.settings());
        server = new ProfileApi(pool, List.of(KEY_SHA256), NORMALIZER).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
        pool.close();
    }

    /** Jane (user id, e-mail, a merged cookie profile), in two segments; five members of prospecting-ads. */
    static void fill(Postgres db) throws Exception {
        apply(db, List.of(snapshot("p-cookie-jane", 1, null, id("anonymous_id", "cookie-jane")),
                merged("p-cookie-jane", "p-jane"),
                snapshot("p-jane", 4, "gold", id("user_id", "jane-7"), id("email", "jane@example.com"),
                        id("anonymous_id", "cookie-jane"), id("phone", "+442079460958"))));
        change(db, "ENTERED", "retention-offer", "p-jane", 1);
        change(db, "ENTERED", "prospecting-ads", "p-jane", 1);
        change(db, "EXITED", "prospecting-ads", "p-jane", 2);
        change(db, "ENTERED", "prospecting-ads", "p-jane", 3);
        for (int i = 1; i <= 4; i++) {
            change(db, "ENTERED", "prospecting-ads", "p-member-" + i, 1);
        }
        change(db, "ENTERED", "prospecting-ads", "p-left", 1);
        change(db, "EXITED", "prospecting-ads", "p-left", 2);
    }

    @Test
    void readsNeedAKeyAsBearerOrBasic() throws Exception {
        assertThat(get("/v1/profiles/email:jane@example.com", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get("/v1/profiles/email:jane@example.com", "Bearer not-the-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("error").asText()).isEqualTo("unauthorized");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Bearer"));
        assertThat(get("/v1/profiles/email:jane@example.com", "Bearer " + KEY).statusCode()).isEqualTo(200);
        String basic = Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
        assertThat(get("/v1/profiles/email:jane@example.com", "Basic " + basic).statusCode()).isEqualTo(200);
        assertThat(get("/v1/segments/prospecting-ads/members", "Basic !!").statusCode()).isEqualTo(401);
    }

    @Test
    void aProfileByEachOfItsIdentifiersWithTraitsConsentSegmentsAndChanges() throws Exception {
        for (String identifier : List.of("email:Jane@Example.com", "email:jane%40example.com", "user_id:jane-7",
                "anonymous_id:cookie-jane", "profile_id:p-jane")) {
            JsonNode p = json(read("/v1/profiles/" + identifier, 200));
            assertThat(p.get("profileId").asText()).as(identifier).isEqualTo("p-jane");
        }
        JsonNode p = json(read("/v1/profiles/email:jane@example.com", 200));
        assertThat(p.get("version").asLong()).isEqualTo(4);
        assertThat(p.at("/traits/tier").asText()).isEqualTo("gold");
        assertThat(p.at("/computedTraits/orders_90d").asLong()).isEqualTo(2);
        assertThat(p.at("/consent/marketing").asBoolean()).isTrue();
        assertThat(p.get("identifiers").findValuesAsText("value"))
                .containsExactlyInAnyOrder("jane-7", "jane@example.com", "cookie-jane", "+442079460958");
        assertThat(p.get("segments").findValuesAsText("id")).containsExactly("prospecting-ads", "retention-offer");
        assertThat(p.at("/segments/0/sequence").asLong()).isEqualTo(3);
        assertThat(p.at("/segments/0/reason/trigger").asText()).isEqualTo("event");
        assertThat(p.get("recentChanges")).hasSize(4);
        assertThat(p.at("/recentChanges/0/type").asText()).isEqualTo("segment.entered");
        assertThat(p.at("/recentChanges/0/sequence").asLong()).isEqualTo(3);

        JsonNode segments = json(read("/v1/profiles/user_id:jane-7/segments", 200));
        assertThat(segments.get("profileId").asText()).isEqualTo("p-jane");
        assertThat(segments.get("segments").findValuesAsText("id"))
                .containsExactly("prospecting-ads", "retention-offer");
    }

    @Test
    void anAbsorbedProfileIdRedirectsToItsSurvivor() throws Exception {
        HttpResponse<String> moved = read("/v1/profiles/profile_id:p-cookie-jane", 301);
        assertThat(moved.headers().firstValue("Location")).hasValue("/v1/profiles/profile_id:p-jane");
        assertThat(json(moved).get("survivorId").asText()).isEqualTo("p-jane");
        assertThat(read("/v1/profiles/profile_id:p-cookie-jane/segments", 301).headers().firstValue("Location"))
                .hasValue("/v1/profiles/profile_id:p-jane/segments");
    }

    /** The stored values are what ingest made of them; so are the values looked up (the same normaliser). */
    @Test
    void lookupsNormaliseIdentifiersAsIngestDoes() throws Exception {
        for (String identifier : List.of("phone:+44%2020%207946%200958", "phone:%2B44%20(0)20%207946-0958",
                "phone:+442079460958", "email:%20JANE@EXAMPLE.COM%20", "email:Jane@Example.com/segments")) {
            JsonNode p = json(read("/v1/profiles/" + identifier, 200));
            assertThat(p.get("profileId").asText()).as(identifier).isEqualTo("p-jane");
        }
        for (String invalid : List.of("phone:12", "phone:call-me", "email:jane-at-example.com")) {
            JsonNode error = json(read("/v1/profiles/" + invalid, 400));
            assertThat(error.get("error").asText()).as(invalid).isEqualTo("bad_request");
            assertThat(error.get("reason").asText()).as(invalid).contains("not a valid");
        }
    }

    @Test
    void unknownAndMalformedIdentifiersAreJsonErrors() throws Exception {
        JsonNode unknown = json(read("/v1/profiles/email:nobody@example.com", 404));
        assertThat(unknown.get("error").asText()).isEqualTo("not_found");
        assertThat(json(read("/v1/profiles/profile_id:p-nobody", 404)).get("error").asText()).isEqualTo("not_found");
        assertThat(json(read("/v1/profiles/user_id:nobody/segments", 404)).get("error").asText())
                .isEqualTo("not_found");
        for (String bad : List.of("jane@example.com", "email:", ":jane", "Email:jane@example.com")) {
            JsonNode error = json(read("/v1/profiles/" + bad, 400));
            assertThat(error.get("error").asText()).as(bad).isEqualTo("bad_request");
            assertThat(error.get("reason").asText()).as(bad).isNotBlank();
        }
        assertThat(json(read("/v1/segments/Not_A_Segment/members", 400)).get("reason").asText())
                .contains("segment id");
        for (String limit : List.of("0", "1001", "ten")) {
            assertThat(json(read("/v1/segments/prospecting-ads/members?limit=" + limit, 400)).get("reason")
                    .asText()).contains("limit");
        }
    }

    @Test
    void segmentMembersComePagedInProfileIdOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(read("/v1/segments/prospecting-ads/members?limit=2"
                    + (cursor != null ? "&cursor=" + cursor : ""), 200));
            page.get("members").forEach(m -> seen.add(m.get("profileId").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactly("p-jane", "p-member-1", "p-member-2", "p-member-3", "p-member-4");
        assertThat(pages).isEqualTo(3);
        assertThat(json(read("/v1/segments/no-such-segment/members", 200)).get("members")).isEmpty();
    }

    @Test
    void healthReadinessMetricsAndOpenApi() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        assertThat(json(get("/ready", null)).get("status").asText()).isEqualTo("ready");
        read("/v1/profiles/user_id:jane-7", 200);
        String metrics = get("/metrics", null).body();
        assertThat(metrics).contains("cdp_api_requests_seconds_count{route=\"profile\",status=\"200\"}")
                .contains("cdp_api_store_up 1");
        JsonNode openApi = json(get("/openapi.json", null));
        assertThat(openApi.get("paths").fieldNames()).toIterable().contains("/v1/profiles/{identifier}",
                "/v1/profiles/{identifier}/segments", "/v1/segments/{segment}/members", "/health", "/ready");
        HttpResponse<String> explorer = get("/explorer/index.html", null);
        assertThat(explorer.statusCode()).isEqualTo(200);
        assertThat(explorer.body()).contains("Profile explorer");
    }

    @Test
    void aStoreThatDoesNotAnswerIsNotReadyAndReadsAre503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (HikariDataSource down = ServeCommand.pool(new StoreSettings(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres", "postgres", "", null, null, null, null))) {
            Javalin api = new ProfileApi(down, List.of(KEY_SHA256), NORMALIZER).start("127.0.0.1", 0);
            try {
                URI base = URI.create("http://127.0.0.1:" + api.port());
                assertThat(HTTP.send(HttpRequest.newBuilder(base.resolve("/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
                HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(base.resolve(
                        "/v1/profiles/user_id:jane-7")).header("Authorization", "Bearer " + KEY).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(read.body()).get("error").asText()).isEqualTo("store_unavailable");
            } finally {
                api.stop();
            }
        }
    }

    private static HttpResponse<String> read(String path, int status) throws Exception {
        HttpResponse<String> response = get(path, "Bearer " + KEY);
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        return response;
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void apply(Postgres db, List<ProfileUpdate> updates) throws Exception {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(StoreStatements.APPLY_PROFILE)) {
            for (ProfileUpdate u : updates) {
                StoreStatements.profile(st, u);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static void change(Postgres db, String type, String segment, String profile, long sequence)
            throws Exception {
        SegmentChange c = new SegmentChange(type, segment, 1, profile,
                Instant.parse("2026-11-23T10:00:00Z").toEpochMilli() + sequence * 60_000, sequence,
                "{\"trigger\":\"event\",\"version\":1,\"facts\":[{\"condition\":\"event Product Viewed at least 1"
                        + " times within 30d\",\"held\":true,\"value\":2}]}", List.of(), null);
        try (Connection conn = db.connect();
                PreparedStatement st = conn.prepareStatement(StoreStatements.APPLY_SEGMENT_CHANGE)) {
            StoreStatements.segmentChange(st, c);
            st.executeUpdate();
        }
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
