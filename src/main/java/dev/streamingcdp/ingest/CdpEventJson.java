package dev.streamingcdp.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The enriched-events topic's JSON: a normalised event as warehouse loaders want it (key = messageId). */
public final class CdpEventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CdpEventJson() {}

    public static byte[] key(CdpEvent e) {
        return e.getMessageId().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(CdpEvent e) {
        ObjectNode json = MAPPER.createObjectNode()
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
        json.set("traits", MAPPER.valueToTree(e.getTraits()));
        json.set("properties", MAPPER.valueToTree(e.getProperties()));
        json.set("consent", MAPPER.valueToTree(e.getConsent()));
        json.putObject("source")
                .put("topic", e.getSource().getTopic())
                .put("partition", e.getSource().getPartition())
                .put("offset", e.getSource().getOffset());
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a JSON tree always serialises", ex);
        }
    }

    /** For tests and tools that read the topic back. */
    public static Map<String, Object> read(byte[] value) throws java.io.IOException {
        return MAPPER.readValue(value, new com.fasterxml.jackson.core.type.TypeReference<>() {});
    }
}
