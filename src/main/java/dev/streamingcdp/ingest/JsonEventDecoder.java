package dev.streamingcdp.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.streamingcdp.ingest.avro.Consent;
import dev.streamingcdp.ingest.avro.Context;
import dev.streamingcdp.ingest.avro.Device;
import dev.streamingcdp.ingest.avro.ExternalId;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Segment Spec JSON into the {@link SegmentEvent} model that Avro input uses too. It checks encoding, syntax
 * and the JSON types of the fields it knows; which fields an event type requires is {@link EventValidator}'s job.
 */
public final class JsonEventDecoder {

    private static final int MAX_NESTING = 64;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // "{...} garbage" is not JSON either
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
    }

    private JsonEventDecoder() {}

    public static SegmentEvent decode(byte[] payload) throws RejectException {
        JsonNode root = parse(utf8(payload));
        if (!root.isObject()) {
            throw new RejectException(RejectReason.BAD_JSON, "expected a JSON object, got " + kind(root));
        }
        requireText(root);
        return SegmentEvent.newBuilder()
                .setType(text(root, "type"))
                .setMessageId(id(root, "messageId"))
                .setTimestamp(text(root, "timestamp"))
                .setAnonymousId(id(root, "anonymousId"))
                .setUserId(id(root, "userId"))
                .setPreviousId(id(root, "previousId"))
                .setGroupId(id(root, "groupId"))
                .setEvent(text(root, "event"))
                .setName(text(root, "name"))
                .setChannel(text(root, "channel"))
                .setProperties(flatObject(root, "properties"))
                .setTraits(flatObject(root, "traits"))
                .setContext(context(root.get("context")))
                .build();
    }

    private static String utf8(byte[] payload) throws RejectException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new RejectException(RejectReason.BAD_UTF8, "payload is not valid UTF-8: " + e.getMessage());
        }
    }

    /**
     * An escape such as "\\uD800" is valid JSON but no Unicode text: UTF-8 has no form for it, so the job's Avro
     * records would write it as '?' and make different ids equal. Rejected like any other non-UTF-8 text.
     */
    private static void requireText(JsonNode node) throws RejectException {
        if (node.isTextual()) {
            requireText(node.textValue());
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                requireText(element);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                requireText(e.getKey());
                requireText(e.getValue());
            }
        }
    }

    private static void requireText(String s) throws RejectException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new RejectException(RejectReason.BAD_UTF8, String.format(
                        "the escape \\u%04X is an unpaired surrogate, which is not Unicode text", (int) c));
            }
        }
    }

    private static JsonNode parse(String text) throws RejectException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new RejectException(RejectReason.BAD_JSON, "empty payload");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RejectException(RejectReason.BAD_JSON, e.getOriginalMessage());
        }
    }

    private static Context context(JsonNode node) throws RejectException {
        if (absent(node)) {
            return null;
        }
        expect(node.isObject(), "context", "an object", node);
        JsonNode device = node.get("device");
        Device dev = null;
        if (!absent(device)) {
            expect(device.isObject(), "context.device", "an object", device);
            dev = new Device(id(device, "id", "context.device.id"), text(device, "type", "context.device.type"));
        }
        return Context.newBuilder()
                .setTraits(flatObject(node, "traits", "context.traits"))
                .setDevice(dev)
                .setExternalIds(externalIds(node.get("externalIds")))
                .setConsent(consent(node.get("consent")))
                .build();
    }

    private static List<ExternalId> externalIds(JsonNode node) throws RejectException {
        if (absent(node)) {
            return null;
        }
        expect(node.isArray(), "context.externalIds", "an array", node);
        List<ExternalId> ids = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            String field = "context.externalIds[" + i + "]";
            expect(e.isObject(), field, "an object", e);
            String id = id(e, "id", field + ".id");
            String type = text(e, "type", field + ".type");
            if (id != null && type != null) {
                ids.add(new ExternalId(id, type));
            }
        }
        return ids;
    }

    private static Consent consent(JsonNode node) throws RejectException {
        if (absent(node)) {
            return null;
        }
        expect(node.isObject(), "context.consent", "an object", node);
        JsonNode prefs = node.get("categoryPreferences");
        if (absent(prefs)) {
            return new Consent(null);
        }
        expect(prefs.isObject(), "context.consent.categoryPreferences", "an object", prefs);
        Map<String, Boolean> purposes = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = prefs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            expect(e.getValue().isBoolean(), "context.consent.categoryPreferences." + e.getKey(), "a boolean",
                    e.getValue());
            purposes.put(e.getKey(), e.getValue().booleanValue());
        }
        return new Consent(purposes);
    }

    private static Map<String, Object> flatObject(JsonNode parent, String name) throws RejectException {
        return flatObject(parent, name, name);
    }

    /** Nested objects become dotted keys, lists become JSON text: the Avro model's shape for free-form data. */
    private static Map<String, Object> flatObject(JsonNode parent, String name, String field) throws RejectException {
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return null;
        }
        expect(node.isObject(), field, "an object", node);
        Map<String, Object> flat = new LinkedHashMap<>(); // keeps the sender's field order
        flatten("", node, flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key + ".", v, into);
            } else {
                into.put(key, scalar(v));
            }
        }
    }

    private static Object scalar(JsonNode v) {
        if (v.isNull()) {
            return null;
        } else if (v.isBoolean()) {
            return v.booleanValue();
        } else if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        } else if (v.isNumber()) {
            return v.doubleValue();
        } else if (v.isTextual()) {
            return v.textValue();
        }
        return v.toString(); // arrays as JSON text
    }

    private static String text(JsonNode parent, String name) throws RejectException {
        return text(parent, name, name);
    }

    private static String text(JsonNode parent, String name, String field) throws RejectException {
        JsonNode v = parent.get(name);
        if (absent(v)) {
            return null;
        }
        expect(v.isTextual(), field, "a string", v);
        return v.textValue();
    }

    /** Identifiers may arrive as numbers (many SDKs send numeric user ids); both mean the same id. */
    private static String id(JsonNode parent, String name) throws RejectException {
        return id(parent, name, name);
    }

    private static String id(JsonNode parent, String name, String field) throws RejectException {
        JsonNode v = parent.get(name);
        if (absent(v)) {
            return null;
        }
        expect(v.isTextual() || v.isIntegralNumber(), field, "a string", v);
        return v.asText();
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull();
    }

    private static void expect(boolean ok, String field, String expected, JsonNode actual) throws RejectException {
        if (!ok) {
            throw new RejectException(RejectReason.WRONG_TYPE,
                    "field '" + field + "' must be " + expected + ", was " + kind(actual));
        }
    }

    private static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> v.getNodeType().name().toLowerCase();
        };
    }
}
