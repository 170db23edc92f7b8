package dev.streamingcdp.segment;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * A value aggregated from a profile's events, e.g. orders in the last 90 days. {@code property} is null for count;
 * {@code within} is a sliding window, null for ever.
 */
public record ComputedTraitDefinition(String name, Function function, EventMatcher source, String property,
        Duration within) implements Serializable {

    public enum Function {
        COUNT, SUM, MIN, MAX, AVERAGE, FIRST, LAST, DISTINCT_COUNT;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean needsProperty() {
            return this != COUNT;
        }
    }
}
