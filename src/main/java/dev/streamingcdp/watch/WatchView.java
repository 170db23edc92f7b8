package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.kafka.TopicRegistry.Role;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the terminal shows: one throttled line per record, "(+N more)" for the lines held back, and a summary block
 * on request. Kafka-free and driven by the caller's clock, so it is tested without a broker or sleeping.
 */
public final class WatchView {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    static final String TOMBSTONE = "(tombstone)";
    static final String UNREADABLE = "(unreadable)";
    private static final int UNREADABLE_PREVIEW = 60;

    private final PrintStream out;
    private final Map<String, Role> roleByTopic;
    private final RecordDecoder decoder;
    private final Map<Role, RoleFormat> formats = new EnumMap<>(Role.class);
    private final Map<Role, LineThrottle> throttles = new EnumMap<>(Role.class);
    private final WatchStats stats = new WatchStats();
    private final int labelWidth;
    private long lastSummaryAt;

    /** {@code roleByTopic} in the order the summary lists the roles; the destinations say how to read their topics. */
    public WatchView(PrintStream out, Map<String, Role> roleByTopic, Destinations destinations, int linesPerSecond,
            long nowMillis) {
        this.out = out;
        this.roleByTopic = new LinkedHashMap<>(roleByTopic);
        this.decoder = new RecordDecoder(destinations);
        for (Role role : this.roleByTopic.values()) {
            if (formats.containsKey(role)) {
                continue; // several topics of one role (the destinations) share its lines and counts
            }
            RoleFormat format = RoleFormats.of(role)
                    .orElseThrow(() -> new IllegalArgumentException("no watch format for role " + role));
            formats.put(role, format);
            throttles.put(role, new LineThrottle(linesPerSecond, nowMillis));
            stats.add(format.label());
        }
        this.labelWidth = formats.values().stream().mapToInt(f -> f.label().length()).max().orElse(0);
        this.lastSummaryAt = nowMillis;
    }

    /** Counts the record and prints its line unless this role has had its share of lines this second. */
    public void record(String topic, byte[] value, long nowMillis) {
        Role role = roleByTopic.get(topic);
        RoleFormat format = formats.get(role);
        LineThrottle throttle = throttles.get(role);
        JsonNode json = decoder.decode(topic, value);
        stats.count(format.label(), json != null ? format.category(json) : value == null ? TOMBSTONE : UNREADABLE);
        printHeld(role, throttle.takeHeld(nowMillis));
        if (throttle.admit(nowMillis)) {
            print(role, json != null ? format.line(json) : unparsed(value));
        }
    }

    /** Reports the lines held back in windows that have ended; call it while idle, too. */
    public void tick(long nowMillis) {
        throttles.forEach((role, throttle) -> printHeld(role, throttle.takeHeld(nowMillis)));
    }

    public void summary(long nowMillis) {
        double seconds = (nowMillis - lastSummaryAt) / 1000.0;
        lastSummaryAt = nowMillis;
        out.printf("-- summary at %s (last %.1fs) ------------------------%n",
                CLOCK.format(Instant.ofEpochMilli(nowMillis)), seconds);
        out.print(stats.summary(seconds));
        out.println();
    }

    /** The held-back lines of all roles and a last summary. */
    public void finish(long nowMillis) {
        throttles.forEach((role, throttle) -> printHeld(role, throttle.flush()));
        summary(nowMillis);
    }

    private void printHeld(Role role, long held) {
        if (held > 0) {
            print(role, "(+" + held + " more)");
        }
    }

    private void print(Role role, String line) {
        out.println(WatchStats.padded(formats.get(role).label(), labelWidth) + " " + line);
    }

    // Not what the job writes, but shown and counted rather than dropped: a tombstone or a stray producer is news.
    private static String unparsed(byte[] value) {
        return value == null ? TOMBSTONE
                : UNREADABLE + " " + Preview.of(new String(value, StandardCharsets.UTF_8), UNREADABLE_PREVIEW);
    }
}
