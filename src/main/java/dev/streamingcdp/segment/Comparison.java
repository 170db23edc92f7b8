package dev.streamingcdp.segment;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One operator applied to a trait, a computed trait or an event property. Scalar values are String, Boolean or
 * BigDecimal (numbers are exact, so 2 and 2.0 compare equal with compareTo).
 */
public sealed interface Comparison extends Serializable {

    /** The operator names as written in YAML, in the order the error messages list them. */
    List<String> OPERATORS = List.of(
            "equals", "notEquals", "in", "greaterThan", "lessThan", "between", "exists", "contains", "matches");

    record Equals(Object value) implements Comparison {}

    record NotEquals(Object value) implements Comparison {}

    record In(List<Object> values) implements Comparison {
        public In {
            values = List.copyOf(values);
        }
    }

    record GreaterThan(BigDecimal value) implements Comparison {}

    record LessThan(BigDecimal value) implements Comparison {}

    /** Inclusive on both ends. */
    record Between(BigDecimal low, BigDecimal high) implements Comparison {}

    record Exists(boolean exists) implements Comparison {}

    /** Substring of a string value. */
    record Contains(String text) implements Comparison {}

    /** The pattern is compiled once, at load; it matches anywhere in the value ({@code find}). */
    record Matches(Pattern pattern) implements Comparison {
        // Pattern has identity equality: compare the source so equal definitions stay equal after a round trip.
        @Override
        public boolean equals(Object o) {
            return o instanceof Matches m && m.pattern.pattern().equals(pattern.pattern())
                    && m.pattern.flags() == pattern.flags();
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }
    }
}
