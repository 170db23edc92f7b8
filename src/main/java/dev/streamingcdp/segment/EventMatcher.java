package dev.streamingcdp.segment;

import dev.streamingcdp.ingest.EventType;
import java.io.Serializable;
import java.util.Map;

/**
 * Which events count: a call type, for track calls optionally one event name (null: any), and filters on properties.
 */
public record EventMatcher(EventType type, String event, Map<String, Comparison> where) implements Serializable {

    public EventMatcher {
        where = Map.copyOf(where);
    }
}
