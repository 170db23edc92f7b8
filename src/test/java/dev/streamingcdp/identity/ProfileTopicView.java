package dev.streamingcdp.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The profile topic as a compacting consumer sees it: per key only the last record counts, and the profiles "at rest"
 * are the keys whose last record is a {@code profile.snapshot} (a {@code profile.merged} or a tombstone removes the
 * key). Records that break the topic's contract are collected as anomalies rather than skipped silently.
 */
final class ProfileTopicView {

    /** A profile at rest: its identifier keys ("namespace:value") and how many events it counts (all types). */
    record Profile(String profileId, Set<String> identifiers, long events) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Profile> atRest = new HashMap<>();
    private final List<String> anomalies = new ArrayList<>();
    private int applied;

    /** Everything committed on {@code topic}, after waiting {@code settle} for stragglers. */
    static ProfileTopicView read(String bootstrap, String topic, Duration settle) {
        ProfileTopicView view = new ProfileTopicView();
        view.catchUp(TopicReader.readAll(bootstrap, topic, settle));
        return view;
    }

    /**
     * Applies the records of {@code read} not applied yet ({@code read} grows between calls, as TopicReader polls);
     * true when there were any, so a poll loop re-compares only after a change.
     */
    boolean catchUp(List<ConsumerRecord<byte[], byte[]>> read) {
        boolean changed = applied < read.size();
        for (; applied < read.size(); applied++) {
            ConsumerRecord<byte[], byte[]> r = read.get(applied);
            apply(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value(),
                    r.partition() + "@" + r.offset());
        }
        return changed;
    }

    /** One record: {@code where} names it in anomalies. */
    void apply(String key, byte[] value, String where) {
        if (key == null) {
            anomalies.add(where + ": no key (the key must be the profile id)");
            return;
        }
        if (value == null) {
            atRest.remove(key); // tombstone: the profile was removed
            return;
        }
        JsonNode v;
        try {
            v = JSON.readTree(value);
        } catch (IOException e) {
            anomalies.add(where + ": not JSON: " + e.getMessage());
            atRest.remove(key);
            return;
        }
        String type = v.path("type").asText();
        switch (type) {
            case "profile.snapshot" -> {
                if (!key.equals(v.path("profileId").asText())) {
                    anomalies.add(where + ": key " + key + " but profileId " + v.path("profileId"));
                }
                atRest.put(key, new Profile(key, identifiers(v, where), events(v)));
            }
            case "profile.merged" -> {
                if (v.path("survivorId").asText().isEmpty() || v.path("survivorId").asText().equals(key)) {
                    anomalies.add(where + ": merge of " + key + " into " + v.path("survivorId"));
                }
                atRest.remove(key);
            }
            default -> {
                anomalies.add(where + ": unknown record type '" + type + "' for key " + key);
                atRest.remove(key);
            }
        }
    }

    /** The profiles at rest, by profile id. */
    Map<String, Profile> atRest() {
        return Collections.unmodifiableMap(atRest);
    }

    /** Records seen that break the profile topic's contract. */
    List<String> anomalies() {
        return Collections.unmodifiableList(anomalies);
    }

    /** How many records were applied. */
    int records() {
        return applied;
    }

    private Set<String> identifiers(JsonNode snapshot, String where) {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode id : snapshot.path("identifiers")) {
            String ns = id.path("namespace").asText();
            String value = id.path("value").asText();
            if (ns.isEmpty() || value.isEmpty()) {
                anomalies.add(where + ": identifier without namespace or value: " + id);
            } else if (!keys.add(ScenarioEvent.key(ns, value))) {
                anomalies.add(where + ": identifier listed twice: " + id);
            }
        }
        return keys;
    }

    private static long events(JsonNode snapshot) {
        long total = 0;
        for (JsonNode count : snapshot.path("eventCounts")) {
            total += count.asLong();
        }
        return total;
    }
}
