package dev.streamingcdp.store.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.store.api.ProfileReads.Lookup;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Profile API over the profile store: profiles by any identifier, their segments, a segment's members, and the
 * profile explorer page. Reads need an API key; health, readiness, metrics, the OpenAPI document and the explorer's
 * files do not (the explorer asks for a key and sends it with its reads).
 */
public final class ProfileApi {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileApi.class);
    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern SEGMENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,127}");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ProfileReads reads;
    private final EventNormalizer identifiers;
    private final ApiKeys keys;
    private final ApiMetrics metrics = new ApiMetrics();
    private final byte[] openApi;

    /** {@code identifiers}: the job's own normaliser (its ingest settings), so a lookup finds what ingest stored. */
    public ProfileApi(DataSource db, List<String> apiKeys, EventNormalizer identifiers) {
        this.reads = new ProfileReads(db);
        this.identifiers = identifiers;
        this.keys = new ApiKeys(apiKeys);
        this.openApi = resource("/store/openapi.json");
    }

    /** Starts the server on {@code host}:{@code port} (0: any free port; see {@link Javalin#port()}). */
    public Javalin start(String host, int port) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/explorer";
                files.directory = "/explorer";
                files.location = Location.CLASSPATH;
            });
            config.routes.get("/", ctx -> ctx.redirect("/explorer/"));
            config.routes.get("/health", ctx -> json(ctx, 200, Json.object().put("status", "up")));
            config.routes.get("/ready", ctx -> {
                boolean up = reads.reachable();
                json(ctx, up ? 200 : 503, Json.object().put("status", up ? "ready" : "store unreachable"));
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4")
                    .result(metrics.text(reads.reachable())));
            config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            config.routes.before("/v1/*", this::authorise);
            config.routes.get("/v1/profiles/{identifier}", ctx -> timed("profile", ctx, () -> profile(ctx)));
            config.routes.get("/v1/profiles/{identifier}/segments",
                    ctx -> timed("profile_segments", ctx, () -> profileSegments(ctx)));
            config.routes.get("/v1/segments/{segment}/members", ctx -> timed("members", ctx, () -> members(ctx)));
            config.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, "bad_request", e.getMessage()));
            config.routes.exception(SQLException.class, (e, ctx) -> {
                LOG.warn("profile store read failed: {}", e.getMessage());
                error(ctx, 503, "store_unavailable", "the profile store did not answer; try again");
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected error", e);
                error(ctx, 500, "internal_error", "an unexpected error; the server log has the details");
            });
        });
        return app.start(host, port);
    }

    private void authorise(Context ctx) {
        if (!keys.allows(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"cdp\"");
            error(ctx, 401, "unauthorized", "send a read key as 'Authorization: Bearer KEY' (or HTTP Basic)");
            ctx.skipRemainingHandlers();
        }
    }

    private void profile(Context ctx) throws SQLException {
        Optional<Lookup> who = resolve(ctx);
        if (who.isPresent()) {
            reads.profile(who.get()).ifPresentOrElse(p -> json(ctx, 200, p), () -> notFound(ctx));
        }
    }

    private void profileSegments(Context ctx) throws SQLException {
        Optional<Lookup> who = resolve(ctx);
        if (who.isPresent()) {
            reads.segments(who.get()).ifPresentOrElse(s -> json(ctx, 200, s), () -> notFound(ctx));
        }
    }

    private void members(Context ctx) throws SQLException {
        String segment = ctx.pathParam("segment");
        if (!SEGMENT_ID.matcher(segment).matches()) {
            throw new BadRequest("'" + shorten(segment) + "' is not a segment id (lower-case letters, digits, '-')");
        }
        int limit = DEFAULT_LIMIT;
        String limitParam = ctx.queryParam("limit");
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new BadRequest("limit must be a number from 1 to " + MAX_LIMIT);
            }
        }
        json(ctx, 200, reads.members(segment, limit, ctx.queryParam("cursor")));
    }

    /**
     * Which profile the request's {@code namespace:value} asks for; empty when the answer (404, or a redirect of an
     * absorbed profile id to its survivor) was already given.
     */
    private Optional<Lookup> resolve(Context ctx) throws SQLException {
        String raw = ctx.pathParam("identifier");
        int colon = raw.indexOf(':');
        if (colon <= 0 || colon == raw.length() - 1) {
            throw new BadRequest("'" + shorten(raw) + "' is not namespace:value (e.g. email:jane@example.com)");
        }
        String namespace = raw.substring(0, colon);
        String value = raw.substring(colon + 1);
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new BadRequest("'" + shorten(namespace) + "' is not a namespace (lower-case letters, digits, '_')");
        }
        if (namespace.equals("profile_id")) {
            Optional<String> survivor = reads.survivorOf(value);
            if (survivor.isPresent()) {
                String suffix = ctx.path().endsWith("/segments") ? "/segments" : "";
                ctx.header("Location", "/v1/profiles/profile_id:"
                        + URLEncoder.encode(survivor.get(), StandardCharsets.UTF_8) + suffix);
                json(ctx, 301, Json.object().put("profileId", value).put("survivorId", survivor.get()));
                return Optional.empty();
            }
            if (!reads.exists(value)) {
                notFound(ctx);
                return Optional.empty();
            }
            return Optional.of(Lookup.profileId(value));
        }
        // stored values are normalised as ingest does: e-mail trimmed and lower-cased, phones in E.164
        String normalised = identifiers.normalizeValue(namespace, value).orElseThrow(() -> new BadRequest(
                "'" + shorten(value) + "' is not a valid " + namespace + " (the job would not accept it either)"));
        return Optional.of(Lookup.identifier(namespace, normalised));
    }

    private static void notFound(Context ctx) {
        error(ctx, 404, "not_found", "no profile has this identifier");
    }

    private void timed(String route, Context ctx, Action action) throws Exception {
        long started = System.nanoTime();
        try {
            action.run();
        } finally {
            metrics.record(route, ctx.statusCode(), System.nanoTime() - started);
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void error(Context ctx, int status, String code, String reason) {
        json(ctx, status, Json.object().put("error", code).put("reason", reason));
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static byte[] resource(String path) {
        try (InputStream in = ProfileApi.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A malformed request: answered 400 with the reason. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String reason) {
            super(reason);
        }
    }
}
