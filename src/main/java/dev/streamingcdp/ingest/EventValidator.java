package dev.streamingcdp.ingest;

import dev.streamingcdp.ingest.avro.Context;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import java.util.Map;

/** The Segment Spec's rules for a decoded event: a known type, the fields that type needs, a usable event time. */
public final class EventValidator {

    private EventValidator() {}

    /** Returns the event's type, or throws with the first rule it breaks. */
    public static EventType validate(SegmentEvent e) throws RejectException {
        if (blank(e.getType())) {
            throw new RejectException(RejectReason.MISSING_TYPE, "field 'type' is missing");
        }
        EventType type = EventType.of(e.getType()).orElseThrow(() -> new RejectException(RejectReason.UNKNOWN_TYPE,
                "type '" + e.getType() + "' is not one of identify, track, page, screen, alias, group"));
        require(e.getMessageId(), "messageId", type);
        require(e.getTimestamp(), "timestamp", type);
        Timestamps.parse(e.getTimestamp());
        switch (type) {
            case TRACK -> require(e.getEvent(), "event", type);
            case ALIAS -> {
                require(e.getPreviousId(), "previousId", type);
                require(e.getUserId(), "userId", type);
            }
            case GROUP -> require(e.getGroupId(), "groupId", type);
            default -> { }
        }
        if (!hasIdentifier(e)) {
            throw new RejectException(RejectReason.NO_IDENTIFIER,
                    "no userId, anonymousId, previousId, e-mail, phone, device id or external id");
        }
        return type;
    }

    private static boolean hasIdentifier(SegmentEvent e) {
        Context c = e.getContext();
        return !blank(e.getUserId()) || !blank(e.getAnonymousId()) || !blank(e.getPreviousId())
                || hasContactTrait(e.getTraits())
                || c != null && (hasContactTrait(c.getTraits())
                        || c.getDevice() != null && !blank(c.getDevice().getId())
                        || c.getExternalIds() != null && !c.getExternalIds().isEmpty());
    }

    private static boolean hasContactTrait(Map<String, Object> traits) {
        return traits != null && (traits.get("email") instanceof String || traits.get("phone") instanceof String);
    }

    private static void require(String value, String field, EventType type) throws RejectException {
        if (blank(value)) {
            throw new RejectException(RejectReason.MISSING_FIELD,
                    "field '" + field + "' is required for " + type.code() + " events");
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
