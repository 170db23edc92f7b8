package dev.streamingcdp.profile;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The profile operator's hot profiles, least recently used first, at most {@code capacity} of them. A dirty entry
 * that falls out is handed to {@code onEvict} first, so that it is written back before it is forgotten.
 */
final class ProfileCache {

    private final int capacity;
    private final LinkedHashMap<String, ProfileEntry> entries;
    private final BiConsumer<String, ProfileEntry> onEvict;

    ProfileCache(int capacity, BiConsumer<String, ProfileEntry> onEvict) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true);
        this.onEvict = onEvict;
    }

    ProfileEntry get(String id) {
        return entries.get(id);
    }

    /** Adds a freshly read entry; the least recently used one makes room when the cache is full. */
    void put(String id, ProfileEntry entry) {
        entries.put(id, entry);
        if (entries.size() > capacity) {
            Iterator<Map.Entry<String, ProfileEntry>> eldest = entries.entrySet().iterator();
            Map.Entry<String, ProfileEntry> e = eldest.next();
            eldest.remove();
            if (e.getValue().dirty()) {
                onEvict.accept(e.getKey(), e.getValue());
            }
        }
    }

    /** Every dirty entry, in least-recently-used order; each is clean afterwards and stays cached. */
    void flush(BiConsumer<String, ProfileEntry> writer) {
        for (Map.Entry<String, ProfileEntry> e : entries.entrySet()) {
            if (e.getValue().dirty()) {
                writer.accept(e.getKey(), e.getValue());
            }
        }
    }

    /** The cached ids, a copy: a backfill visits them before the keyed state. */
    List<String> ids() {
        return new ArrayList<>(entries.keySet());
    }

    int size() {
        return entries.size();
    }
}
