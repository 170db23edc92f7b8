package dev.streamingcdp.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.testing.TestPipelines;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Input for the ingestion tests, with what must come out: valid events of every type (JSON and Avro), exact re-sends
 * of some of them, and malformed records of every reject reason.
 */
final class IngestDataset {

    static final ObjectMapper JSON = new ObjectMapper();

    final List<TestPipelines.Input> inputs = new ArrayList<>();
    final Set<String> validMessageIds = new LinkedHashSet<>();
    final Map<String, Integer> expectedReasons = new HashMap<>();
    final byte[] badUtf8;
    private final String jsonTopic;
    private final String avroTopic;
    private int seq;

    IngestDataset(JobDefinition job, int perType) {
        jsonTopic = topic(job, JobDefinition.Format.JSON);
        avroTopic = topic(job, JobDefinition.Format.AVRO);
        for (int i = 0; i < perType; i++) {
            for (String type : List.of("identify", "track", "page", "screen", "alias", "group")) {
                valid(event(type, "anon-" + i));
            }
            ObjectNode contact = event("identify", null);
            contact.putObject("traits").put("email", " Jane.Doe" + i + "@Example.COM ").put("phone", "(415) 555-2671");
            valid(contact);
            validAvro(i);
        }
        for (int i = 0; i < perType; i++) { // exact re-sends: at-least-once producers do this
            inputs.add(inputs.get(i * 8));
        }
        bad("bad_json", "{\"type\": \"track\", \"messageId\": ");
        bad("bad_json", "[1, 2, 3]");
        badUtf8 = ("{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"name\":\"caf")
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBadByte = new byte[badUtf8.length + 3];
        System.arraycopy(badUtf8, 0, withBadByte, 0, badUtf8.length);
        withBadByte[badUtf8.length] = (byte) 0xC3;
        withBadByte[badUtf8.length + 1] = (byte) 0x28;
        withBadByte[badUtf8.length + 2] = '}';
        badBytes("bad_utf8", jsonTopic, withBadByte);
        bad("missing_type", without(event("track", "anon-x"), "type"));
        bad("unknown_type", event("track", "anon-x").put("type", "purchase"));
        bad("bad_timestamp", event("track", "anon-x").put("timestamp", "yesterday"));
        bad("bad_timestamp", event("track", "anon-x").put("timestamp", "2026-11-23T10:00:00"));
        bad("bad_timestamp", event("track", "anon-x").put("timestamp", "+999999999-12-31T23:59:59Z"));
        bad("no_identifier", without(event("track", "anon-x"), "anonymousId"));
        ObjectNode badPhone = without(event("identify", "anon-x"), "anonymousId");
        badPhone.putObject("traits").put("phone", "not a phone");
        bad("no_identifier", badPhone);
        ObjectNode large = event("track", "anon-x");
        large.putObject("properties").put("blob", "x".repeat(job.ingest().maxPayloadBytes()));
        bad("too_large", large);
        bad("wrong_type", event("identify", "anon-x").put("traits", "vip"));
        ObjectNode objectUserId = event("track", "anon-x");
        objectUserId.putObject("userId").put("a", 1);
        bad("wrong_type", objectUserId);
        bad("missing_field", without(event("track", "anon-x"), "event"));
        bad("missing_field", without(event("page", "anon-x"), "messageId"));
        bad("missing_field", without(event("alias", "anon-x"), "previousId"));
        badBytes("bad_avro", avroTopic, "not avro at all".getBytes(StandardCharsets.UTF_8));
    }

    int expectedDeadLetters() {
        return expectedReasons.values().stream().mapToInt(Integer::intValue).sum();
    }

    private ObjectNode event(String type, String anonymousId) {
        String id = "msg-" + (seq++);
        ObjectNode e = JSON.createObjectNode()
                .put("type", type)
                .put("messageId", id)
                .put("timestamp", Instant.parse("2026-11-23T10:00:00Z").plusSeconds(seq).toString())
                .put("channel", "browser");
        if (anonymousId != null) {
            e.put("anonymousId", anonymousId);
        }
        switch (type) {
            case "track" -> e.put("event", "Product Added").putObject("properties").put("price", 42.5);
            case "alias" -> e.put("previousId", anonymousId).put("userId", "cust-" + seq);
            case "group" -> e.put("groupId", "acme").put("userId", "cust-" + seq);
            case "page", "screen" -> e.put("name", "Home");
            default -> e.putObject("traits").put("plan", "gold");
        }
        return e;
    }

    private void validAvro(int i) {
        String id = "avro-" + i;
        SegmentEvent e = SegmentEvent.newBuilder()
                .setType("track").setMessageId(id).setTimestamp("2026-11-23T11:00:00+02:00")
                .setUserId("cust-" + i).setEvent("Order Completed").setChannel("pos")
                .setProperties(Map.of("revenue", 99.0)).build();
        try {
            ByteBuffer bytes = SegmentEvent.getEncoder().encode(e);
            byte[] value = new byte[bytes.remaining()];
            bytes.get(value);
            inputs.add(new TestPipelines.Input(avroTopic, "cust-" + i, value));
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        validMessageIds.add(id);
    }

    private void valid(ObjectNode e) {
        validMessageIds.add(e.get("messageId").asText());
        inputs.add(new TestPipelines.Input(jsonTopic, e.path("anonymousId").asText("k"), e.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private void bad(String reason, ObjectNode e) {
        bad(reason, e.toString());
    }

    private void bad(String reason, String text) {
        badBytes(reason, jsonTopic, text.getBytes(StandardCharsets.UTF_8));
    }

    private void badBytes(String reason, String topic, byte[] value) {
        expectedReasons.merge(reason, 1, Integer::sum);
        inputs.add(new TestPipelines.Input(topic, "bad", value));
    }

    private static ObjectNode without(ObjectNode e, String field) {
        e.remove(field);
        return e;
    }

    private static String topic(JobDefinition job, JobDefinition.Format format) {
        return job.topics().events().stream().filter(t -> t.format() == format).findFirst().orElseThrow().name();
    }
}
