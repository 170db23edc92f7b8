package dev.streamingcdp.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segment's tracking HTTP API in front of the job's input topic: analytics.js (short paths, text/plain bodies, CORS),
 * analytics-node and the other SDKs (long paths, Basic auth) send here unchanged. A request is answered 200 only when
 * Kafka has acknowledged every one of its events.
 */
public final class CollectorServer implements AutoCloseable {

    private static final Logger ACCESS = LoggerFactory.getLogger("dev.streamingcdp.collect.access");
    private static final Logger LOG = LoggerFactory.getLogger(CollectorServer.class);

    /** Path (long and short) to event type; "batch" for the batch endpoints. */
    private static final Map<String, String> PATHS = Map.ofEntries(
            Map.entry("track", "track"), Map.entry("t", "track"),
            Map.entry("identify", "identify"), Map.entry("i", "identify"),
            Map.entry("page", "page"), Map.entry("p", "page"),
            Map.entry("screen", "screen"), Map.entry("s", "screen"),
            Map.entry("group", "group"), Map.entry("g", "group"),
            Map.entry("alias", "alias"), Map.entry("a", "alias"),
            Map.entry("batch", "batch"), Map.entry("b", "batch"));

    /** How the collector is run: where it listens, how long it waits for Kafka, how much it holds. */
    public record Settings(String host, int port, Duration ackTimeout, int maxInFlightEvents, Duration drainTimeout) {}

    private final Settings settings;
    private final Sources sources;
    private final EventWriter writer;
    private final CollectorMetrics metrics;
    private final InFlightBudget budget;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Javalin app;

    public CollectorServer(Settings settings, Sources sources, EventWriter writer, CollectorMetrics metrics) {
        this.settings = settings;
        this.sources = sources;
        this.writer = writer;
        this.metrics = metrics;
        this.budget = new InFlightBudget(settings.maxInFlightEvents());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.modifyServer(server -> server.setStopTimeout(settings.drainTimeout().toMillis()));
            config.requestLogger.http(this::accessLog);
            PATHS.keySet().forEach(p -> config.routes.post("/v1/" + p, this::track));
            config.routes.options("/v1/*", this::preflight);
            config.routes.get("/v1/projects/{writeKey}/settings", this::settingsDocument);
            config.routes.get("/health", ctx -> json(ctx, 200, RequestParser.MAPPER.createObjectNode()
                    .put("status", "up")));
            config.routes.get("/ready", this::ready);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected error on {}", ctx.path(), e);
                error(ctx, new Rejection(500, "internal", "internal error"));
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    error(ctx, new Rejection(404, "not_found", "no such endpoint: " + ctx.path()));
                }
            });
        });
    }

    public CollectorServer start() {
        app.start(settings.host(), settings.port());
        LOG.info("collector listening on http://{}:{}, writing to {}", settings.host(), app.port(), writer.topic());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Graceful: refuse new work (readiness goes down), finish the requests in flight, flush the producer. */
    @Override
    public void close() {
        draining.set(true);
        app.stop();
        writer.close();
    }

    private void track(Context ctx) throws Exception {
        String kind = PATHS.get(ctx.path().substring("/v1/".length()));
        try {
            if (draining.get()) {
                throw new Rejection(503, "shutting_down", "the collector is shutting down; retry");
            }
            boolean batch = kind.equals("batch");
            byte[] body = BodyReader.read(ctx.req().getInputStream(), ctx.header("Content-Encoding"),
                    batch ? Limits.MAX_BATCH_BYTES : Limits.MAX_EVENT_BYTES);
            metrics.bytes(body.length);
            RequestParser.Parsed parsed = batch ? RequestParser.batch(body) : RequestParser.single(body, kind);
            String key = writeKey(ctx, parsed.writeKey());
            Sources.Source source = sources.byWriteKey(key)
                    .orElseThrow(() -> new Rejection(401, "unknown_write_key", key == null
                            ? "no write key (Basic auth 'writeKey:', X-Write-Key or the body's writeKey)"
                            : "unknown write key"));
            String origin = ctx.header("Origin");
            if (origin != null) {
                if (!source.allows(origin)) {
                    throw new Rejection(403, "origin_not_allowed", "origin " + origin
                            + " is not allowed for this source");
                }
                cors(ctx, origin);
            }
            Instant receivedAt = Instant.now();
            List<EventStamper.Stamped> events = new ArrayList<>(parsed.events().size());
            for (int i = 0; i < parsed.events().size(); i++) {
                events.add(EventStamper.stamp(parsed.events().get(i), source, receivedAt, parsed.sentAt(),
                        batch ? "batch[" + i + "]" : "the event"));
            }
            send(ctx, source, events);
        } catch (Rejection r) {
            error(ctx, r);
        }
    }

    private void send(Context ctx, Sources.Source source, List<EventStamper.Stamped> events) throws Rejection {
        int n = events.size();
        if (!budget.tryAcquire(n)) {
            ctx.header("Retry-After", "1");
            throw new Rejection(429, "too_many_in_flight", "too many events waiting for Kafka; retry shortly");
        }
        metrics.inFlight(budget.inFlight());
        ctx.attribute("source", source.name());
        ctx.attribute("events", n);
        ctx.future(() -> writer.writeAll(events)
                .orTimeout(settings.ackTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((ok, e) -> {
                    budget.release(n);
                    metrics.inFlight(budget.inFlight());
                    if (e == null) {
                        metrics.accepted(source.name(), n);
                        json(ctx, 200, RequestParser.MAPPER.createObjectNode().put("success", true));
                    } else {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        LOG.warn("Kafka did not acknowledge {} events: {}", n, cause instanceof TimeoutException
                                ? "no acknowledgement within " + settings.ackTimeout().toMillis() + " ms"
                                : cause.toString());
                        error(ctx, new Rejection(503, "kafka_unavailable",
                                "events not acknowledged by Kafka in time; retry"));
                    }
                    return null;
                }));
    }

    /** Basic auth "writeKey:" (analytics-node), an X-Write-Key header, or the body's writeKey (analytics.js). */
    private static String writeKey(Context ctx, String fromBody) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon >= 0 ? decoded.substring(0, colon) : decoded;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String header = ctx.header("X-Write-Key");
        return header != null ? header : fromBody;
    }

    /** A CORS preflight carries no key: allowed when some source allows the origin; the POST is checked again. */
    private void preflight(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !sources.anyAllows(origin)) {
            error(ctx, new Rejection(403, "origin_not_allowed", "origin not allowed"));
            return;
        }
        cors(ctx, origin);
        ctx.header("Access-Control-Allow-Methods", "POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization, Content-Encoding, X-Write-Key");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private static void cors(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
    }

    private void settingsDocument(Context ctx) {
        String key = ctx.pathParam("writeKey");
        if (sources.byWriteKey(key).isEmpty()) {
            error(ctx, new Rejection(401, "unknown_write_key", "unknown write key"));
            return;
        }
        String origin = ctx.header("Origin");
        if (origin != null && sources.anyAllows(origin)) {
            cors(ctx, origin);
        }
        ObjectNode doc = SettingsDocument.of(key, ctx.host() + "/v1", ctx.scheme());
        json(ctx, 200, doc);
    }

    private void ready(Context ctx) {
        boolean up = !draining.get() && writer.reachable(Duration.ofSeconds(2));
        json(ctx, up ? 200 : 503, RequestParser.MAPPER.createObjectNode().put("status", up ? "ready" : "unavailable")
                .put("kafka", up ? "reachable" : "unreachable"));
    }

    private void error(Context ctx, Rejection r) {
        metrics.rejected(r.reason());
        json(ctx, r.status(), RequestParser.MAPPER.createObjectNode().put("success", false)
                .put("error", r.reason()).put("message", r.getMessage()));
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /** One line per request, without personal data: no address, no ids, no bodies. */
    private void accessLog(Context ctx, Float ms) {
        String path = ctx.endpoint() != null ? ctx.endpoint().path : "unmatched";
        metrics.request(path, ctx.statusCode());
        ACCESS.info("method={} path={} status={} ms={} source={} events={}", ctx.method(), path, ctx.statusCode(),
                String.format("%.1f", ms), ctx.attribute("source") == null ? "-" : ctx.attribute("source"),
                ctx.attribute("events") == null ? 0 : ctx.attribute("events"));
    }
}
