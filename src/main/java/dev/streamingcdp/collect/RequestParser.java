package dev.streamingcdp.collect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a tracking API body: one event (/v1/track, /v1/t, ...) or a batch (/v1/batch, /v1/b). Checks what the
 * collector needs to route an event (an object, a known type, an identity to key it by) and Segment's size limits;
 * everything else about an event is the job's validation (dead letters with a reason).
 */
public final class RequestParser {

    public static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "group", "alias");

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A parsed request: its events, and the batch-level writeKey and sentAt (null when absent). */
    public record Parsed(List<ObjectNode> events, String writeKey, String sentAt) {}

    private RequestParser() {}

    /** A single event of {@code type} (from the path, which wins over the body's "type", as Segment does). */
    public static Parsed single(byte[] body, String type) throws Rejection {
        ObjectNode event = object(readTree(body), "the body");
        event.put("type", type);
        checkEvent(event, "the event");
        return new Parsed(List.of(event), text(event, "writeKey"), text(event, "sentAt"));
    }

    /** A batch: {"batch": [events], "writeKey"?, "sentAt"?}; each event is measured as it is read. */
    public static Parsed batch(byte[] body) throws Rejection {
        List<ObjectNode> events = new ArrayList<>();
        String writeKey = null;
        String sentAt = null;
        boolean sawBatch = false;
        try (JsonParser p = MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Rejection.badRequest("bad_json", "the body must be a JSON object with a \"batch\" array");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "batch" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw Rejection.badRequest("bad_batch", "\"batch\" must be an array");
                        }
                        sawBatch = true;
                        readEvents(p, events);
                    }
                    case "writeKey" -> writeKey = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "sentAt" -> sentAt = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren(); // context, integrations: per event in the SDKs we serve
                }
            }
            if (p.nextToken() != null) {
                throw Rejection.badRequest("bad_json", "trailing data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw Rejection.badRequest("bad_json", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw Rejection.badRequest("bad_json", "not valid JSON: " + e.getMessage());
        }
        if (!sawBatch || events.isEmpty()) {
            throw Rejection.badRequest("bad_batch", "\"batch\" must be a non-empty array of events");
        }
        return new Parsed(events, writeKey, sentAt);
    }

    private static void readEvents(JsonParser p, List<ObjectNode> events) throws IOException, Rejection {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (events.size() == Limits.MAX_BATCH_EVENTS) {
                throw Rejection.badRequest("too_many_events",
                        "a batch holds at most " + Limits.MAX_BATCH_EVENTS + " events");
            }
            String where = "batch[" + events.size() + "]";
            long start = p.currentTokenLocation().getByteOffset();
            JsonNode node = MAPPER.readTree(p);
            long size = p.currentLocation().getByteOffset() - start;
            if (size > Limits.MAX_EVENT_BYTES) {
                throw Rejection.badRequest("event_too_large",
                        where + " is " + size + " bytes; an event may have at most " + Limits.MAX_EVENT_BYTES);
            }
            ObjectNode event = object(node, where);
            String type = text(event, "type");
            if (type == null || !TYPES.contains(type)) {
                throw Rejection.badRequest("bad_type", where + ".type must be one of " + String.join(", ",
                        TYPES.stream().sorted().toList()));
            }
            checkEvent(event, where);
            events.add(event);
        }
    }

    private static void checkEvent(ObjectNode event, String where) throws Rejection {
        if (id(event, "userId") == null && id(event, "anonymousId") == null) {
            throw Rejection.badRequest("no_identity", where + " needs a userId or an anonymousId");
        }
    }

    private static JsonNode readTree(byte[] body) throws Rejection {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw Rejection.badRequest("bad_json", "the body is empty");
            }
            return node;
        } catch (IOException e) {
            throw Rejection.badRequest("bad_json", "not valid JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static ObjectNode object(JsonNode node, String where) throws Rejection {
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw Rejection.badRequest("bad_event", where + " must be a JSON object");
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** Ids as the job reads them: non-empty text or an integer. */
    static String id(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !(v.isTextual() || v.isIntegralNumber())) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s;
    }
}
