package dev.streamingcdp.simulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An independent reading of the input contract: what the job should reject and why. Written apart from the
 * generator, so that a generator bug (a record broken in two ways, or a "valid" one that is not) shows up.
 */
final class ReferenceValidator {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "alias", "group");
    private static final List<String> STRING_FIELDS = List.of("type", "messageId", "timestamp", "anonymousId",
            "userId", "previousId", "groupId", "event", "name", "channel");
    private static final List<String> OBJECT_FIELDS = List.of("properties", "traits", "context");

    /** The fields the rules look at, from either format. */
    record Fields(String type, String messageId, String timestamp, String event, String userId, String previousId,
            String groupId, List<String> identifiers) {}

    private final int maxPayloadBytes;

    ReferenceValidator(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    Optional<RejectCode> classify(SimulatedRecord r) {
        if (r.value().length > maxPayloadBytes) {
            return Optional.of(RejectCode.TOO_LARGE);
        }
        if (r.format() == Format.AVRO) {
            try {
                return check(fields(SegmentEvent.getDecoder().decode(r.value())));
            } catch (Exception e) {
                return Optional.of(RejectCode.BAD_AVRO);
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(r.value()));
        } catch (CharacterCodingException e) {
            return Optional.of(RejectCode.BAD_UTF8);
        }
        JsonNode json;
        try {
            json = STRICT.readTree(r.value());
        } catch (Exception e) {
            return Optional.of(RejectCode.BAD_JSON);
        }
        if (!json.isObject()) {
            return Optional.of(RejectCode.BAD_JSON);
        }
        for (String f : STRING_FIELDS) {
            if (json.has(f) && !json.get(f).isTextual()) {
                return Optional.of(RejectCode.WRONG_TYPE);
            }
        }
        for (String f : OBJECT_FIELDS) {
            if (json.has(f) && !json.get(f).isObject()) {
                return Optional.of(RejectCode.WRONG_TYPE);
            }
        }
        return check(fields(json));
    }

    static Fields fields(JsonNode e) {
        List<String> ids = new ArrayList<>();
        for (String path : List.of("/userId", "/anonymousId", "/context/device/id", "/context/traits/email",
                "/traits/email", "/traits/phone", "/context/externalIds/0/id")) {
            if (e.at(path).isTextual()) {
                ids.add(e.at(path).asText());
            }
        }
        return new Fields(text(e, "type"), text(e, "messageId"), text(e, "timestamp"), text(e, "event"),
                text(e, "userId"), text(e, "previousId"), text(e, "groupId"), ids);
    }

    static Fields fields(SegmentEvent e) {
        List<String> ids = new ArrayList<>();
        ids.add(e.getUserId());
        ids.add(e.getAnonymousId());
        if (e.getContext() != null) {
            var c = e.getContext();
            ids.add(c.getDevice() == null ? null : c.getDevice().getId());
            ids.add(c.getTraits() == null ? null : string(c.getTraits().get("email")));
            if (c.getExternalIds() != null) {
                c.getExternalIds().forEach(x -> ids.add(x.getId()));
            }
        }
        if (e.getTraits() != null) {
            ids.add(string(e.getTraits().get("email")));
            ids.add(string(e.getTraits().get("phone")));
        }
        ids.removeIf(id -> id == null);
        return new Fields(e.getType(), e.getMessageId(), e.getTimestamp(), e.getEvent(), e.getUserId(),
                e.getPreviousId(), e.getGroupId(), ids);
    }

    private static Optional<RejectCode> check(Fields f) {
        if (f.type() == null) {
            return Optional.of(RejectCode.MISSING_TYPE);
        }
        if (!TYPES.contains(f.type())) {
            return Optional.of(RejectCode.UNKNOWN_TYPE);
        }
        boolean missing = f.messageId() == null
                || (f.type().equals("track") && f.event() == null)
                || (f.type().equals("alias") && (f.previousId() == null || f.userId() == null))
                || (f.type().equals("group") && f.groupId() == null);
        if (missing) {
            return Optional.of(RejectCode.MISSING_FIELD);
        }
        try {
            OffsetDateTime.parse(f.timestamp(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException | NullPointerException e) {
            return Optional.of(RejectCode.BAD_TIMESTAMP);
        }
        return f.identifiers().isEmpty() && f.previousId() == null
                ? Optional.of(RejectCode.NO_IDENTIFIER) : Optional.empty();
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
