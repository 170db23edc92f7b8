package dev.streamingcdp.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.activation.ActivationSerializer;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.activation.Destinations.Destination;
import dev.streamingcdp.model.ActivationRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A record value as the JSON object its format reads. Activation topics hold JSON or Avro, as each destination asks:
 * both become the output contract's JSON, plus the destination's name, which the JSON record does not carry.
 */
final class RecordDecoder {

    static final String DESTINATION = "destination";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Destination> destinationByTopic;

    RecordDecoder(Destinations destinations) {
        this.destinationByTopic = destinations.destinations().stream()
                .collect(Collectors.toMap(Destination::topic, Function.identity()));
    }

    /** The value as a JSON object, or null when it is none (a tombstone, not JSON, not its destination's Avro). */
    JsonNode decode(String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        Destination destination = destinationByTopic.get(topic);
        JsonNode node = destination != null && destination.format() == Destinations.Format.AVRO
                ? avro(value) : json(value);
        if (node == null || !node.isObject()) {
            return null;
        }
        if (destination != null) {
            ((ObjectNode) node).put(DESTINATION, destination.name());
        }
        return node;
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    // Whatever a stray producer wrote must not stop the watch: any decoding failure makes the record "unreadable".
    private static JsonNode avro(byte[] value) {
        try {
            return ActivationSerializer.tree(ActivationRecord.fromByteBuffer(ByteBuffer.wrap(value)), null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
