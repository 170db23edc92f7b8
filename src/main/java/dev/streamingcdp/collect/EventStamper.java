package dev.streamingcdp.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.ingest.RejectException;
import dev.streamingcdp.ingest.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Completes an event as Segment's API does before it is stored: the server's receivedAt, the client's clock skew
 * corrected with sentAt, a messageId when the client sent none, the source's channel (the field the job's normaliser
 * reads), and no writeKey (a secret does not belong in a topic).
 */
public final class EventStamper {

    /** One event ready for Kafka: its key (userId, else anonymousId) and its JSON. */
    public record Stamped(String key, byte[] json) {}

    private EventStamper() {}

    public static Stamped stamp(ObjectNode event, Sources.Source source, Instant receivedAt, String batchSentAt,
            String where) throws Rejection {
        event.remove("writeKey");
        String sentAt = RequestParser.text(event, "sentAt") != null ? RequestParser.text(event, "sentAt") : batchSentAt;
        String timestamp = RequestParser.text(event, "timestamp");
        Instant corrected = receivedAt;
        if (timestamp != null) {
            Instant original = instant(timestamp, where + ".timestamp");
            event.put("originalTimestamp", timestamp);
            // Segment: timestamp = receivedAt - (sentAt - originalTimestamp), i.e. the client's clock error removed
            corrected = sentAt == null ? original
                    : receivedAt.minus(Duration.between(original, instant(sentAt, where + ".sentAt")));
        }
        if (sentAt != null) {
            event.put("sentAt", sentAt);
        }
        event.put("timestamp", corrected.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("receivedAt", receivedAt.truncatedTo(ChronoUnit.MILLIS).toString());
        if (RequestParser.id(event, "messageId") == null) {
            event.put("messageId", "api-" + UUID.randomUUID());
        }
        event.put("channel", source.channel());
        String key = RequestParser.id(event, "userId");
        try {
            return new Stamped(key != null ? key : RequestParser.id(event, "anonymousId"),
                    RequestParser.MAPPER.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private static Instant instant(String text, String field) throws Rejection {
        try {
            return Timestamps.parse(text);
        } catch (RejectException e) {
            throw Rejection.badRequest("bad_timestamp", field + ": " + e.getMessage());
        }
    }
}
