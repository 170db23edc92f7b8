package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;

/** How the watch shows the records of one topic role: a short tag, a one-line rendering and a summary bucket. */
public interface RoleFormat {

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
}
