package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Activation topics: what a destination was told about whom: ENTERED or EXITED a segment, or ERASED; the profile id
 * shortened, the sequence, what triggered it, the consent that let it through and the identifiers it carried, masked
 * (hashed ones too: a hash of an e-mail address still finds her).
 */
final class ActivationFormat implements RoleFormat {

    private static final int MAX_IDENTIFIERS = 3;

    @Override
    public String label() {
        return "ACTIVATION";
    }

    /** Per destination and direction, e.g. email-marketing.entered, ads-prospecting.erased. */
    @Override
    public String category(JsonNode value) {
        return destination(value) + "." + direction(value);
    }

    @Override
    public String line(JsonNode value) {
        JsonNode segment = value.path("segment");
        JsonNode reason = value.path("reason");
        String which = segment.isMissingNode() || segment.isNull() ? "-"
                : Preview.of(RoleFormat.text(segment, "id", "?"), 40) + " v"
                        + Preview.of(RoleFormat.text(segment, "version", "?"), 10);
        return String.format("%-19s %-8s %-25s  %-11s  seq %s  %s%s  %s", destination(value),
                direction(value).toUpperCase(Locale.ROOT), which,
                SegmentChangeFormat.profile(RoleFormat.text(value, "profileId", "?")),
                Preview.of(RoleFormat.text(value, "sequence", "?"), 20), SegmentChangeFormat.trigger(reason),
                consent(reason.path("consent")), identifiers(value.path("identifiers"))).strip();
    }

    private static String destination(JsonNode value) {
        return Preview.of(RoleFormat.text(value, RecordDecoder.DESTINATION, "?"), 40);
    }

    /** entered, exited or erased: the last word of segment.entered, segment.exited, profile.erased. */
    private static String direction(JsonNode value) {
        String type = RoleFormat.text(value, "type", "?");
        return Preview.of(type.substring(type.lastIndexOf('.') + 1), 10);
    }

    /** "(consent marketing: granted)"; "by default" when she never stated it. Erasures carry none. */
    private static String consent(JsonNode consent) {
        if (!consent.isObject()) {
            return "";
        }
        String state = consent.path("granted").asBoolean(false) ? "granted" : "not granted";
        String source = "default".equals(RoleFormat.text(consent, "source", "")) ? " by default" : "";
        return "  (consent " + Preview.of(RoleFormat.text(consent, "purpose", "?"), 20) + ": " + state + source + ")";
    }

    /** namespace:value pairs, masked, at most three and a count of the rest. */
    private static String identifiers(JsonNode ids) {
        List<String> shown = new ArrayList<>();
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = ids.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String namespace = Preview.of(e.getKey(), 20);
            for (JsonNode v : e.getValue()) {
                if (total++ < MAX_IDENTIFIERS) {
                    shown.add(namespace + ":" + Masking.identifier(namespace, v.asText()));
                }
            }
        }
        if (total > MAX_IDENTIFIERS) {
            shown.add("+" + (total - MAX_IDENTIFIERS));
        }
        return String.join(" ", shown);
    }
}
