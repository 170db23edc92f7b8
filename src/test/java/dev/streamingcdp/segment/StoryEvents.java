package dev.streamingcdp.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.testing.TestPipelines;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.utils.Utils;

/** Segment Spec JSON events for the segment ITs, and keys that put a record on a chosen partition. */
final class StoryEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoryEvents() {}

    static ObjectNode identify(String messageId, Instant at, String userId) {
        return event("identify", messageId, at).put("userId", userId);
    }

    static ObjectNode track(String messageId, Instant at, String userId, String name) {
        return event("track", messageId, at).put("userId", userId).put("event", name);
    }

    static ObjectNode page(String messageId, Instant at, String anonymousId, String name) {
        return event("page", messageId, at).put("anonymousId", anonymousId).put("name", name);
    }

    static ObjectNode event(String type, String messageId, Instant at) {
        return JSON.createObjectNode().put("type", type).put("messageId", messageId).put("timestamp", at.toString())
                .put("channel", "browser");
    }

    static String profileOf(String userId) {
        return ProfileId.of(new Identifier("user_id", userId));
    }

    /** The event as a record of {@code topic}, keyed by its user or anonymous id (one person, one partition). */
    static TestPipelines.Input input(String topic, ObjectNode event) {
        String key = event.path("userId").asText(event.path("anonymousId").asText("none"));
        return input(topic, key, event);
    }

    static TestPipelines.Input input(String topic, String key, ObjectNode event) {
        return new TestPipelines.Input(topic, key, event.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A key "{prefix}-n" that the producer's default partitioner puts on {@code partition}. */
    static String keyOnPartition(String prefix, int partition, int partitions) {
        for (int n = 0; ; n++) {
            String key = prefix + "-" + n;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions == partition) {
                return key;
            }
        }
    }
}
