package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Enriched events: event time, type, event or page name, channel and masked identifiers. */
final class EnrichedFormat implements RoleFormat {

    private static final int MAX_IDENTIFIERS = 3;

    @Override
    public String label() {
        return "EVENT";
    }

    @Override
    public String category(JsonNode value) {
        return RoleFormat.text(value, "type", "?");
    }

    @Override
    public String line(JsonNode value) {
        String what = RoleFormat.text(value, "event", RoleFormat.text(value, "name", "-"));
        return String.format("%-9s %-8s %-22s %-8s %s", RoleFormat.time(RoleFormat.text(value, "eventTime", "")),
                category(value), Preview.of(what, 22), RoleFormat.text(value, "channel", "-"),
                identifiers(value.path("identifiers")));
    }

    private static String identifiers(JsonNode ids) {
        List<String> shown = new ArrayList<>();
        for (JsonNode id : ids) {
            if (shown.size() == MAX_IDENTIFIERS) {
                shown.add("+" + (ids.size() - MAX_IDENTIFIERS));
                break;
            }
            String namespace = RoleFormat.text(id, "namespace", "?");
            shown.add(namespace + ":" + Masking.identifier(namespace, RoleFormat.text(id, "value", "")));
        }
        return String.join(" ", shown);
    }
}
