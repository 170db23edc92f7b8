package dev.streamingcdp.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in YAML: 500ms, 30s, 10m, 2h, 7d. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h|d)\\s*");

    private Durations() {}

    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (write e.g. 500ms, 30s, 10m, 2h, 7d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Jackson hook, so config records can declare {@link Duration} fields. */
    static final class Deserializer extends StdScalarDeserializer<Duration> {
        Deserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
            }
        }
    }
}
