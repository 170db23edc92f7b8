package dev.streamingcdp.segment;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * One thing a profile must remember about its events for the current definitions: the events {@code matcher}
 * selects, optionally one {@code property} of them, inside a sliding {@code window} (null: ever, kept as running
 * aggregates). Definitions that need the same fact share it; {@code key} names it in the profile state.
 */
public record FactSpec(String key, EventMatcher matcher, String property, Duration window) implements Serializable {

    public static FactSpec of(EventMatcher matcher, String property, Duration window) {
        return new FactSpec(keyOf(matcher, property, window), matcher, property, window);
    }

    public boolean windowed() {
        return window != null;
    }

    /** A short hash of the canonical form: the state stores it per profile, so it should be small and stable. */
    private static String keyOf(EventMatcher m, String property, Duration window) {
        String canonical = (m.type() == null ? "*" : m.type().code()) + "|" + (m.event() == null ? "*" : m.event())
                + "|" + new TreeMap<>(m.where()) + "|" + (property == null ? "" : property)
                + "|" + (window == null ? "ever" : window.toMillis());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
