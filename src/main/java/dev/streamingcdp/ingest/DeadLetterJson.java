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
 *
 * <p>A dead letter must fit in one Kafka record (1 MB by default) or the dead-letter sink fails the job in a loop, and
 * JSON escaping can make text six times longer (a control character becomes a six-character escape). So payload and
 * detail are cut to bounds that keep it well under, whatever topic the record came from; a cut payload says so and
 * gives its full size (the whole record stays in its topic at the source offset).
 */
public final class DeadLetterJson {

    static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    static final int MAX_DETAIL_CHARS = 2_000;

    private DeadLetterJson() {}

    public static byte[] key(DeadLetter d) {
        return (d.getSource().getTopic() + ":" + d.getSource().getPartition() + ":" + d.getSource().getOffset())
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(DeadLetter d, Instant rejectedAt) {
        String detail = d.getDetail();
        ObjectNode json = Json.object()
                .put("reason", d.getReason())
                .put("detail", detail != null && detail.length() > MAX_DETAIL_CHARS
                        ? detail.substring(0, MAX_DETAIL_CHARS) + "..." : detail);
        json.putObject("source")
                .put("topic", d.getSource().getTopic())
                .put("partition", d.getSource().getPartition())
                .put("offset", d.getSource().getOffset());
        ByteBuffer payload = d.getPayload().duplicate();
        int size = payload.remaining();
        if (size > MAX_PAYLOAD_BYTES) {
            payload.limit(payload.position() + MAX_PAYLOAD_BYTES);
            json.put("payloadTruncated", true).put("payloadBytes", size);
        }
        try {
            json.put("payload", StandardCharsets.UTF_8.newDecoder().decode(payload.duplicate()).toString());
        } catch (CharacterCodingException e) { // not UTF-8 (or a character cut at the bound)
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            json.put("payloadBase64", Base64.getEncoder().encodeToString(bytes));
        }
        json.put("rejectedAt", rejectedAt.toString());
        return Json.bytes(json);
    }
}
