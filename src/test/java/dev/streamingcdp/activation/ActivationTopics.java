package dev.streamingcdp.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Test events for activation stories, and reading a destination's topic back (JSON or Avro) as records. */
public final class ActivationTopics {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-11-23T09:00:00Z");

    private ActivationTopics() {}

    /** Reads {@code d}'s topic (read_committed) until {@code done} holds or {@code timeout} passes. */
    static List<ActivationRecord> read(String bootstrap, Destinations.Destination d,
            Predicate<List<ActivationRecord>> done, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readUntil(bootstrap, d.topic(),
                rs -> done.test(decode(d, rs)), timeout);
        raw.forEach(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
                .isEqualTo(decode(d, r.value()).getProfileId()));
        return decode(d, raw);
    }

    private static List<ActivationRecord> decode(Destinations.Destination d, List<ConsumerRecord<byte[], byte[]>> rs) {
        return rs.stream().map(r -> decode(d, r.value())).toList();
    }

    public static ActivationRecord decode(Destinations.Destination d, byte[] value) {
        try {
            if (d.format() == Destinations.Format.AVRO) {
                return ActivationRecord.fromByteBuffer(ByteBuffer.wrap(value));
            }
            JsonNode j = JSON.readTree(value);
            Map<String, List<String>> ids = JSON.convertValue(j.get("identifiers"),
                    JSON.getTypeFactory().constructMapType(Map.class, JSON.constructType(String.class),
                            JSON.getTypeFactory().constructCollectionType(List.class, String.class)));
            assertThat(j.has("emittedAt")).isTrue();
            return new ActivationRecord(d.name(), j.get("type").asText(), j.at("/segment/id").asText(),
                    j.at("/segment/version").asInt(), j.get("profileId").asText(), ids,
                    Instant.parse(j.get("occurredAt").asText()).toEpochMilli(), j.get("sequence").asLong(),
                    j.get("reason").toString());
        } catch (IOException e) {
            throw new AssertionError("not an activation record of " + d.name(), e);
        }
    }

    static void produce(String bootstrap, String topic, List<ObjectNode> events) {
        TestPipelines.produce(bootstrap, events.stream().map(e -> new TestPipelines.Input(topic,
                e.get("userId").asText(), e.toString().getBytes(StandardCharsets.UTF_8))).toList());
    }

    static ObjectNode identify(String user, int minute, String email) {
        ObjectNode e = event("identify", user, minute);
        ObjectNode traits = e.putObject("traits");
        if (email != null) {
            traits.put("email", email);
        }
        return e;
    }

    /** Adds context.consent.categoryPreferences: purpose, granted, purpose, granted ... */
    static ObjectNode consent(ObjectNode e, Object... purposes) {
        ObjectNode prefs = e.putObject("context").putObject("consent").putObject("categoryPreferences");
        for (int i = 0; i < purposes.length; i += 2) {
            prefs.put((String) purposes[i], (Boolean) purposes[i + 1]);
        }
        return e;
    }

    /** {@code count} views of running shoes, a minute apart. */
    static List<ObjectNode> views(String user, int fromMinute, int count) {
        List<ObjectNode> views = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode v = event("track", user, fromMinute + i).put("event", "Product Viewed");
            v.putObject("properties").put("category", "running-shoes").put("sku", "sku-1001");
            views.add(v);
        }
        return views;
    }

    static ObjectNode event(String type, String user, int minute) {
        ObjectNode e = JSON.createObjectNode().put("type", type).put("userId", user)
                .put("messageId", "m-" + user + "-" + type + "-" + minute)
                .put("timestamp", T.plus(Duration.ofMinutes(minute)).toString());
        if (type.equals("page")) {
            e.put("name", "Pricing");
        }
        return e;
    }
}
