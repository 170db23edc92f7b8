package dev.streamingcdp.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.LinkRejection;
import java.nio.charset.StandardCharsets;

/** The identity audit topic's JSON (key = the event's messageId). */
public final class LinkRejectionJson {

    private LinkRejectionJson() {}

    public static byte[] key(LinkRejection r) {
        return r.getMessageId().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(LinkRejection r) {
        ObjectNode json = Json.object()
                .put("rule", r.getRule())
                .put("detail", r.getDetail())
                .put("messageId", r.getMessageId())
                .put("profileId", r.getProfileId());
        json.putObject("identifier")
                .put("namespace", r.getIdentifier().getNamespace())
                .put("value", r.getIdentifier().getValue());
        return Json.bytes(json);
    }
}
