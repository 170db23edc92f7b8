package dev.streamingcdp.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.ingest.avro.Consent;
import dev.streamingcdp.ingest.avro.Context;
import dev.streamingcdp.ingest.avro.Device;
import dev.streamingcdp.ingest.avro.ExternalId;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an event into payload bytes: JSON as sent by analytics libraries, or the Avro SegmentEvent in single-object
 * encoding. The Avro model has no free-form objects, so properties and traits are flattened: nested objects become
 * dotted keys, lists JSON text. Context fields outside the model (library) are not carried.
 */
final class EventEncoder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static byte[] json(ObjectNode event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a generated event as JSON", e);
        }
    }

    static String jsonText(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a generated event as JSON", e);
        }
    }

    static byte[] avro(ObjectNode event) {
        try {
            return SegmentEvent.getEncoder().encode(toAvro(event)).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SegmentEvent toAvro(ObjectNode e) {
        return SegmentEvent.newBuilder()
                .setType(text(e, "type"))
                .setMessageId(text(e, "messageId"))
                .setTimestamp(text(e, "timestamp"))
                .setAnonymousId(text(e, "anonymousId"))
                .setUserId(text(e, "userId"))
                .setPreviousId(text(e, "previousId"))
                .setGroupId(text(e, "groupId"))
                .setEvent(text(e, "event"))
                .setName(text(e, "name"))
                .setChannel(text(e, "channel"))
                .setProperties(flat(e.get("properties")))
                .setTraits(flat(e.get("traits")))
                .setContext(context(e.get("context")))
                .build();
    }

    private static Context context(JsonNode c) {
        if (c == null) {
            return null;
        }
        JsonNode device = c.get("device");
        JsonNode externalIds = c.get("externalIds");
        JsonNode preferences = c.at("/consent/categoryPreferences");
        return Context.newBuilder()
                .setTraits(flat(c.get("traits")))
                .setDevice(device == null ? null : new Device(text(device, "id"), text(device, "type")))
                .setExternalIds(externalIds == null ? null : externalIds(externalIds))
                .setConsent(preferences.isMissingNode() ? null : new Consent(booleans(preferences)))
                .build();
    }

    private static List<ExternalId> externalIds(JsonNode ids) {
        List<ExternalId> out = new ArrayList<>();
        ids.forEach(id -> out.add(new ExternalId(id.get("id").asText(), id.get("type").asText())));
        return out;
    }

    private static Map<String, Boolean> booleans(JsonNode object) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asBoolean()));
        return out;
    }

    /** A linked map keeps the event's field order, so the encoding is the same on every run. */
    private static Map<String, Object> flat(JsonNode object) {
        if (object == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", object, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode object, Map<String, Object> out) {
        object.fields().forEachRemaining(f -> {
            String key = prefix + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                flatten(key + ".", v, out);
            } else {
                out.put(key, scalar(v));
            }
        });
    }

    private static Object scalar(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        return v.isArray() ? jsonText(v) : v.asText();
    }

    private static String text(JsonNode object, String field) {
        JsonNode v = object.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
