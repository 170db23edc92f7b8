package dev.streamingcdp.ingest;

import java.util.Locale;
import java.util.Optional;

/** The Segment Spec call types. */
public enum EventType {
    IDENTIFY, TRACK, PAGE, SCREEN, ALIAS, GROUP;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> of(String code) {
        for (EventType t : values()) {
            if (t.code().equalsIgnoreCase(code.trim())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
