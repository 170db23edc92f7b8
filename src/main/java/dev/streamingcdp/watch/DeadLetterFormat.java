package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;

/** Rejected inputs: reason, where the input came from and the start of what it contained. */
final class DeadLetterFormat implements RoleFormat {

    static final int PAYLOAD_PREVIEW = 60;
    private static final String BASE64 = "base64:";

    @Override
    public String label() {
        return "DLQ";
    }

    @Override
    public String category(JsonNode value) {
        return RoleFormat.text(value, "reason", "?");
    }

    @Override
    public String line(JsonNode value) {
        JsonNode source = value.path("source");
        String from = RoleFormat.text(source, "topic", "?") + ":" + RoleFormat.text(source, "partition", "?")
                + "@" + RoleFormat.text(source, "offset", "?");
        return String.format("%-14s %-28s %s", category(value), from, payload(value));
    }

    private static String payload(JsonNode value) {
        if (value.hasNonNull("payload")) {
            return Preview.of(value.get("payload").asText(), PAYLOAD_PREVIEW);
        }
        if (value.hasNonNull("payloadBase64")) {
            return BASE64 + Preview.of(value.get("payloadBase64").asText(), PAYLOAD_PREVIEW - BASE64.length());
        }
        return "(no payload)";
    }
}
