package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How the watch shows the records of one topic role: a short tag, a one-line rendering and a summary bucket. */
public interface RoleFormat {

    DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** Tag at the start of each line, e.g. "DLQ". */
    String label();

    /** The bucket the summary counts a record in, e.g. the event type or the rejection reason. */
    String category(JsonNode value);

    /** The record in one line, after the label; identifiers masked, since demo screens get shared. */
    String line(JsonNode value);

    /** A text field, or {@code fallback} when it is missing or JSON null. */
    static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? fallback : v.asText();
    }

    /** An ISO-8601 instant as its UTC time of day (10:02:03Z); anything else shortened to as many characters. */
    static String time(String iso) {
        try {
            return TIME.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return Preview.of(iso, 9);
        }
    }
}
