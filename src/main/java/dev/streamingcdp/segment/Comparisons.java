package dev.streamingcdp.segment;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Applies a {@link Comparison} to a value from a profile or an event: null (absent), Boolean, Long, Double or String.
 * Numbers compare by value (2 equals 2.0); a numeric string counts as a number for the ordering operators.
 */
public final class Comparisons {

    private Comparisons() {}

    public static boolean test(Comparison c, Object value) {
        if (c instanceof Comparison.Exists e) {
            return (value != null) == e.exists();
        }
        if (c instanceof Comparison.NotEquals n) { // absent counts as "not equal": a missing trait is not the value
            return value == null || !same(value, n.value());
        }
        if (value == null) {
            return false;
        }
        if (c instanceof Comparison.Equals e) {
            return same(value, e.value());
        }
        if (c instanceof Comparison.In in) {
            return in.values().stream().anyMatch(v -> same(value, v));
        }
        if (c instanceof Comparison.Contains t) {
            return value instanceof String s && s.contains(t.text());
        }
        if (c instanceof Comparison.Matches m) {
            return m.pattern().matcher(String.valueOf(value)).find();
        }
        Optional<BigDecimal> number = number(value);
        if (number.isEmpty()) {
            return false;
        }
        BigDecimal x = number.get();
        if (c instanceof Comparison.GreaterThan g) {
            return x.compareTo(g.value()) > 0;
        }
        if (c instanceof Comparison.LessThan l) {
            return x.compareTo(l.value()) < 0;
        }
        Comparison.Between b = (Comparison.Between) c;
        return x.compareTo(b.low()) >= 0 && x.compareTo(b.high()) <= 0;
    }

    /** The value as an exact number: numbers, and strings that read as one. */
    public static Optional<BigDecimal> number(Object value) {
        if (value instanceof Long l) {
            return Optional.of(BigDecimal.valueOf(l));
        }
        if (value instanceof Integer i) {
            return Optional.of(BigDecimal.valueOf(i));
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? Optional.empty() : Optional.of(BigDecimal.valueOf(d));
        }
        if (value instanceof BigDecimal d) {
            return Optional.of(d);
        }
        if (value instanceof String s) {
            try {
                return Optional.of(new BigDecimal(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean same(Object value, Object expected) {
        if (expected instanceof BigDecimal e) {
            return !(value instanceof String) && number(value).map(x -> x.compareTo(e) == 0).orElse(false);
        }
        return expected.equals(value);
    }
}
