package dev.streamingcdp.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.Namespaces;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One privacy request, {"requestId", "type": ERASE|SUPPRESS|UNSUPPRESS, "identifier": {"type", "value"}}, with the
 * identifier normalised as ingestion normalises it (e-mail trimmed and lower-cased, phone in E.164, others trimmed),
 * so that it names the same identifier her events carry.
 */
public record PrivacyRequest(String requestId, Type type, Identifier identifier) {

    public enum Type { ERASE, SUPPRESS, UNSUPPRESS }

    static final int MAX_REQUEST_ID_LENGTH = 200;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Segment's field names, for requests written by people who think in them. */
    private static final Map<String, String> ALIASES = Map.of(
            "userid", Namespaces.USER_ID, "anonymousid", Namespaces.ANONYMOUS_ID, "deviceid", Namespaces.DEVICE_ID);

    /** Why a request is not carried out: the DLQ detail. Never names the identifier's value. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static PrivacyRequest parse(ByteBuffer payload, EventNormalizer normalizer) throws Invalid {
        if (payload == null) {
            throw new Invalid("empty record (a tombstone is not a request)");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(utf8(payload));
        } catch (CharacterCodingException e) {
            throw new Invalid("not UTF-8 text");
        } catch (Exception e) {
            throw new Invalid("not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new Invalid("not a JSON object");
        }
        String requestId = text(json, "requestId", "requestId");
        if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw new Invalid("'requestId' is longer than " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        String typeName = text(json, "type", "type");
        Type type;
        try {
            type = Type.valueOf(typeName.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Invalid("'type' must be ERASE, SUPPRESS or UNSUPPRESS");
        }
        JsonNode identifier = json.get("identifier");
        if (identifier == null || !identifier.isObject()) {
            throw new Invalid("'identifier' must be an object {\"type\", \"value\"}");
        }
        String named = EventNormalizer.namespace(text(identifier, "type", "identifier.type"));
        String namespace = ALIASES.getOrDefault(named, named);
        if (namespace.isEmpty()) {
            throw new Invalid("'identifier.type' names no namespace");
        }
        String value = normalizer.normalizeValue(namespace, text(identifier, "value", "identifier.value"))
                .orElseThrow(() -> new Invalid("'identifier.value' is not a valid " + namespace
                        + (namespace.equals(Namespaces.PHONE) ? " number" : "")));
        return new PrivacyRequest(requestId.trim(), type, new Identifier(namespace, value));
    }

    /** The string {@code field} of {@code json}; {@code path} names it in the DLQ detail. */
    private static String text(JsonNode json, String field, String path) throws Invalid {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new Invalid("'" + path + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static String utf8(ByteBuffer payload) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(payload.duplicate()).toString();
    }
}
