package dev.streamingcdp.activation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.activation.Destinations.Destination;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.ActivationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each record to its destination's topic, keyed by profile id (per-profile order), as the output contract's
 * JSON or as Avro single-object encoding, whichever the destination asks for.
 */
public class ActivationSerializer implements KafkaRecordSerializationSchema<ActivationRecord> {

    private final Map<String, Destination> byName;

    public ActivationSerializer(Destinations destinations) {
        this.byName = destinations.destinations().stream()
                .collect(Collectors.toMap(Destination::name, Function.identity()));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ActivationRecord r, KafkaSinkContext ctx, Long timestamp) {
        Destination d = byName.get(r.getDestination());
        byte[] value = d.format() == Destinations.Format.AVRO ? avro(r) : json(r, Instant.now());
        return new ProducerRecord<>(d.topic(), r.getProfileId().getBytes(StandardCharsets.UTF_8), value);
    }

    public static byte[] json(ActivationRecord r, Instant emittedAt) {
        return Json.bytes(tree(r, emittedAt));
    }

    /** The output contract's JSON; a null {@code emittedAt} (Avro records do not carry it) leaves it out. */
    public static ObjectNode tree(ActivationRecord r, Instant emittedAt) {
        ObjectNode json = Json.object().put("type", r.getType());
        if (r.getSegmentId() != null) {
            json.putObject("segment").put("id", r.getSegmentId()).put("version", r.getSegmentVersion());
        }
        json.put("profileId", r.getProfileId());
        json.set("identifiers", Json.tree(r.getIdentifiers()));
        json.put("occurredAt", Instant.ofEpochMilli(r.getOccurredAt()).toString());
        if (emittedAt != null) {
            json.put("emittedAt", emittedAt.toString());
        }
        json.put("sequence", r.getSequence());
        json.set("reason", Json.parse(r.getReason()));
        return json;
    }

    private static byte[] avro(ActivationRecord r) {
        try {
            ByteBuffer body = r.toByteBuffer();
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an activation record", e);
        }
    }
}
