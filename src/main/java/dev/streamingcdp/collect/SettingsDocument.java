package dev.streamingcdp.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The settings document analytics.js loads from its CDN before it sends anything
 * ({@code <cdnURL>/v1/projects/<writeKey>/settings}): only the Segment.io destination, pointed back at this collector,
 * so a page that sets {@code cdnURL} alone sends its events here.
 */
public final class SettingsDocument {

    private SettingsDocument() {}

    /** {@code apiHost} is host[:port]/v1 as the page reached us; {@code protocol} http or https. */
    public static ObjectNode of(String writeKey, String apiHost, String protocol) {
        ObjectNode doc = RequestParser.MAPPER.createObjectNode();
        ObjectNode segment = doc.putObject("integrations").putObject("Segment.io");
        segment.put("apiKey", writeKey);
        segment.put("apiHost", apiHost);
        segment.put("protocol", protocol);
        ObjectNode plan = doc.putObject("plan");
        plan.putObject("track").putObject("__default").put("enabled", true);
        plan.putObject("identify").putObject("__default").put("enabled", true);
        plan.putObject("group").putObject("__default").put("enabled", true);
        doc.putArray("remotePlugins");
        return doc;
    }
}
