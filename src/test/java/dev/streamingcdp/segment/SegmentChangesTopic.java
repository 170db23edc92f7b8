package dev.streamingcdp.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The segment-changes topic as activation reads it (read_committed): every change, parsed, in topic order. */
final class SegmentChangesTopic {

    /** One record of the topic; {@code key} is the Kafka key, which must be the profile id. */
    record Change(String key, String type, String segmentId, int version, String profileId, Instant occurredAt,
            long sequence, JsonNode reason, JsonNode json) {

        String trigger() {
            return reason.path("trigger").asText();
        }

        boolean entered() {
            return "segment.entered".equals(type);
        }

        /** "ENTERED#1 v1 2026-11-02T09:02:00Z event": what the exact-list assertions compare. */
        String brief() {
            return (entered() ? "ENTERED" : "EXITED") + "#" + sequence + " v" + version + " " + occurredAt + " "
                    + trigger();
        }

        /** As {@link #brief()} without occurredAt: "ENTERED#1 v1 definition". */
        String withoutTime() {
            return (entered() ? "ENTERED" : "EXITED") + "#" + sequence + " v" + version + " " + trigger();
        }

        /** The leaf condition of the reason whose text contains {@code text}, or a missing node. */
        JsonNode fact(String text) {
            for (JsonNode f : reason.path("facts")) {
                if (f.path("condition").asText().contains(text)) {
                    return f;
                }
            }
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentChangesTopic() {}

    /** Reads from the beginning until {@code done} holds for the changes read (or the timeout passes). */
    static List<Change> readUntil(String bootstrap, String topic, Predicate<List<Change>> done, Duration timeout) {
        List<Change> changes = new ArrayList<>();
        TopicReader.readUntil(bootstrap, topic, records -> {
            for (int i = changes.size(); i < records.size(); i++) {
                changes.add(parse(records.get(i)));
            }
            return done.test(changes);
        }, timeout);
        return changes;
    }

    /** Everything committed so far, after waiting {@code settle} for stragglers. */
    static List<Change> readAll(String bootstrap, String topic, Duration settle) {
        return readUntil(bootstrap, topic, c -> false, settle);
    }

    /** Per "profileId segmentId", the changes' {@link Change#brief()} in topic order (per-profile order). */
    static Map<String, List<String>> byProfileAndSegment(List<Change> changes) {
        return byProfileAndSegment(changes, Change::brief);
    }

    static Map<String, List<String>> byProfileAndSegment(List<Change> changes, Function<Change, String> show) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (Change c : changes) {
            lists.computeIfAbsent(c.profileId() + " " + c.segmentId(), k -> new ArrayList<>()).add(show.apply(c));
        }
        return lists;
    }

    /** True when a change of {@code type} ("segment.entered"/"segment.exited") for the profile and segment was read. */
    static Predicate<List<Change>> has(String profileId, String segmentId, String type) {
        return changes -> find(changes, profileId, segmentId, type) != null;
    }

    static Change find(List<Change> changes, String profileId, String segmentId, String type) {
        for (Change c : changes) {
            if (c.profileId().equals(profileId) && c.segmentId().equals(segmentId) && c.type().equals(type)) {
                return c;
            }
        }
        return null;
    }

    private static Change parse(ConsumerRecord<byte[], byte[]> r) {
        try {
            JsonNode v = JSON.readTree(r.value());
            return new Change(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    v.path("type").asText(), v.at("/segment/id").asText(), v.at("/segment/version").asInt(),
                    v.path("profileId").asText(), Instant.parse(v.path("occurredAt").asText()),
                    v.path("sequence").asLong(), v.path("reason"), v);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON on the segment changes topic at " + r.partition() + "@"
                    + r.offset(), e);
        }
    }
}
