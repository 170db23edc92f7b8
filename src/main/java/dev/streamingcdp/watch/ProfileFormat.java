package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The profile topic: a profile's identifiers (masked) and event counts, or that it merged into another. */
final class ProfileFormat implements RoleFormat {

    @Override
    public String label() {
        return "PROFILE";
    }

    @Override
    public String category(JsonNode value) {
        return RoleFormat.text(value, "type", "?").replace("profile.", "");
    }

    @Override
    public String line(JsonNode value) {
        String id = RoleFormat.text(value, "profileId", "?");
        if ("merged".equals(category(value))) {
            return String.format("%-27s merged into %s", id, RoleFormat.text(value, "survivorId", "?"));
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode x : value.path("identifiers")) {
            String ns = RoleFormat.text(x, "namespace", "?");
            ids.add(ns + ":" + Masking.identifier(ns, RoleFormat.text(x, "value", "")));
        }
        long events = 0;
        for (JsonNode n : value.path("eventCounts")) {
            events += n.asLong();
        }
        return String.format("%-27s %4d events  %s", id, events, String.join(" ", ids));
    }
}
