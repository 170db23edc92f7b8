package dev.streamingcdp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The compacted profile topic as a consumer sees it: the last record per profile id, active snapshots only. */
public final class ProfileTopic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProfileTopic() {}

    /** Reads until the active profiles satisfy {@code done} (or the timeout passes) and returns them by id. */
    public static Map<String, JsonNode> readUntil(String bootstrap, String topic,
            Predicate<Map<String, JsonNode>> done, Duration timeout) {
        Map<String, JsonNode> result = new HashMap<>();
        TopicReader.readUntil(bootstrap, topic, records -> {
            result.clear();
            result.putAll(active(records));
            return done.test(result);
        }, timeout);
        return result;
    }

    static Map<String, JsonNode> active(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, JsonNode> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            last.put(new String(r.key(), StandardCharsets.UTF_8), r.value() == null ? null : parse(r.value()));
        }
        last.values().removeIf(v -> v == null || !"profile.snapshot".equals(v.path("type").asText()));
        return last;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
