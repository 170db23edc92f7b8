package dev.streamingcdp.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The dead-letter topic's JSON: reason, detail, source coordinates, and the raw payload as text when it is UTF-8,
 * else as base64, so that nothing about the rejected record is lost.
 */
public final class DeadLetterJson {

    private DeadLetterJson() {}

    public static byte[] key(DeadLetter d) {
        return (d.getSource().getTopic() + ":" + d.getSource().getPartition() + ":" + d.getSource().getOffset())
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(DeadLetter d, Instant rejectedAt) {
        ObjectNode json = Json.object()
                .put("reason", d.getReason())
                .put("detail", d.getDetail());
        json.putObject("source")
                .put("topic", d.getSource().getTopic())
                .put("partition", d.getSource().getPartition())
                .put("offset", d.getSource().getOffset());
        ByteBuffer payload = d.getPayload().duplicate();
        try {
            json.put("payload", StandardCharsets.UTF_8.newDecoder().decode(payload).toString());
        } catch (CharacterCodingException e) {
            byte[] bytes = new byte[d.getPayload().remaining()];
            d.getPayload().duplicate().get(bytes);
            json.put("payloadBase64", Base64.getEncoder().encodeToString(bytes));
        }
        json.put("rejectedAt", rejectedAt.toString());
        return Json.bytes(json);
    }
}
