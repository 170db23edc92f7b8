package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Segment changes: ENTERED or EXITED, which segment, whose (profile id shortened), when, the sequence, what triggered
 * it and the facts that decided it. Fact values that are trait values and not already written in the condition are
 * masked: a trait may hold an e-mail address or a name.
 */
final class SegmentChangeFormat implements RoleFormat {

    static final int PROFILE_ID_SHOWN = 8;
    static final int FACTS_PREVIEW = 160;
    static final String NOT_MET = " (not met)";

    @Override
    public String label() {
        return "SEGMENT";
    }

    /** Per segment and direction, e.g. retention-offer.entered. */
    @Override
    public String category(JsonNode value) {
        return Preview.of(RoleFormat.text(value.path("segment"), "id", "?"), 40) + "." + direction(value);
    }

    @Override
    public String line(JsonNode value) {
        JsonNode segment = value.path("segment");
        JsonNode reason = value.path("reason");
        String which = Preview.of(RoleFormat.text(segment, "id", "?"), 40) + " v"
                + Preview.of(RoleFormat.text(segment, "version", "?"), 10);
        String line = String.format("%-8s %-25s  %-11s  at %s  seq %s  %s",
                direction(value).toUpperCase(Locale.ROOT), which, profile(RoleFormat.text(value, "profileId", "?")),
                RoleFormat.time(RoleFormat.text(value, "occurredAt", "?")),
                Preview.of(RoleFormat.text(value, "sequence", "?"), 20), trigger(reason));
        String facts = facts(reason.path("facts"));
        return facts.isEmpty() ? line : line + "  (" + Preview.of(facts, FACTS_PREVIEW) + ")";
    }

    private static String direction(JsonNode value) {
        String type = RoleFormat.text(value, "type", "?");
        return type.startsWith("segment.") ? Preview.of(type.substring("segment.".length()), 10) : "?";
    }

    /** p-1a2b3c...: enough to tell profiles apart on screen and find one in the profile lines. */
    static String profile(String id) {
        return id.length() <= PROFILE_ID_SHOWN + 3 ? Preview.of(id, PROFILE_ID_SHOWN + 3)
                : Preview.of(id.substring(0, PROFILE_ID_SHOWN), PROFILE_ID_SHOWN) + "...";
    }

    /** The trigger in words; activation lines share them. */
    static String trigger(JsonNode reason) {
        String trigger = RoleFormat.text(reason, "trigger", "?");
        return switch (trigger) {
            case "event" -> "on event";
            case "window" -> "as time passed";
            case "merge" -> "after a merge";
            case "definition" -> "new definition";
            case "profile_merged" -> "merged into " + profile(RoleFormat.text(reason, "survivorId", "?"));
            case "profile_removed" -> "profile removed";
            case "segment_deleted" -> "segment deleted";
            case "erased" -> "erasure";
            case "consent" -> "consent changed";
            default -> Preview.of(trigger, 20);
        };
    }

    private static String facts(JsonNode facts) {
        List<String> shown = new ArrayList<>();
        for (JsonNode f : facts) {
            String condition = RoleFormat.text(f, "condition", "?");
            shown.add(condition + " = " + value(condition, f.path("value"))
                    + (f.path("held").asBoolean(true) ? "" : NOT_MET));
        }
        return String.join("; ", shown);
    }

    /**
     * Counts, numbers and booleans as they are; times (a sequence's last event) as time of day; a text value only
     * when the condition itself names it (trait plan equals gold = gold), else masked like an identifier.
     */
    static String value(String condition, JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return "none";
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        String text = v.isTextual() ? v.asText() : v.toString();
        if (isInstant(text)) {
            return RoleFormat.time(text);
        }
        if (v.isTextual() && namedIn(condition, text)) {
            return text;
        }
        return text.contains("@") ? Masking.email(text) : Masking.other(text);
    }

    // The literal of "equals X" or an element of "in [X, Y]", as the definition wrote it.
    private static boolean namedIn(String condition, String text) {
        return condition.endsWith(" " + text) || condition.contains("[" + text + ",")
                || condition.contains("[" + text + "]") || condition.contains(" " + text + ",")
                || condition.contains(" " + text + "]");
    }

    private static boolean isInstant(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
