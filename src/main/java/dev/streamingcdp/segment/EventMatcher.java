package dev.streamingcdp.segment;

import dev.streamingcdp.ingest.EventType;
import dev.streamingcdp.model.CdpEvent;
import java.io.Serializable;
import java.util.Map;

/**
 * Which events count: a call type, for track calls optionally one event name (null: any), and filters on properties.
 */
public record EventMatcher(EventType type, String event, Map<String, Comparison> where) implements Serializable {

    public EventMatcher {
        where = Map.copyOf(where);
    }

    public boolean matches(CdpEvent e) {
        if (!type.code().equals(e.getType()) || (event != null && !event.equals(e.getEvent()))) {
            return false;
        }
        for (Map.Entry<String, Comparison> filter : where.entrySet()) {
            if (!Comparisons.test(filter.getValue(), e.getProperties().get(filter.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** How reasons and logs name it, e.g. "Product Viewed where {category=...}" or "page". */
    public String describe() {
        String what = event != null ? event : type.code();
        return where.isEmpty() ? what : what + " where " + where.keySet();
    }
}
