package dev.streamingcdp.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import java.nio.charset.StandardCharsets;

/** The enriched-events topic's JSON: a normalised event as warehouse loaders want it (key = messageId). */
public final class CdpEventJson {

    private CdpEventJson() {}

    public static byte[] key(CdpEvent e) {
        return e.getMessageId().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(CdpEvent e) {
        ObjectNode json = Json.object()
                .put("messageId", e.getMessageId())
                .put("type", e.getType())
                .put("eventTime", e.getEventTime().toString())
                .put("event", e.getEvent())
                .put("name", e.getName())
                .put("channel", e.getChannel())
                .put("groupId", e.getGroupId());
        var ids = json.putArray("identifiers");
        for (Identifier id : e.getIdentifiers()) {
            ids.addObject().put("namespace", id.getNamespace()).put("value", id.getValue());
        }
        json.set("traits", Json.tree(e.getTraits()));
        json.set("properties", Json.tree(e.getProperties()));
        json.set("consent", Json.tree(e.getConsent()));
        json.putObject("source")
                .put("topic", e.getSource().getTopic())
                .put("partition", e.getSource().getPartition())
                .put("offset", e.getSource().getOffset());
        return Json.bytes(json);
    }
}
