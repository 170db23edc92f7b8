package dev.streamingcdp.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.ingest.JsonEventDecoder;
import dev.streamingcdp.ingest.RejectException;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns an event into payload bytes: JSON as sent by analytics libraries, or the Avro SegmentEvent in single-object
 * encoding (the model has no free-form objects: properties and traits are flattened as the job's decoder does).
 */
final class EventEncoder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static byte[] json(ObjectNode event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a generated event as JSON", e);
        }
    }

    static String jsonText(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a generated event as JSON", e);
        }
    }

    /** Through the job's own JSON decoder, so Avro and JSON input can never mean different things. */
    static byte[] avro(ObjectNode event) {
        try {
            return SegmentEvent.getEncoder().encode(JsonEventDecoder.decode(json(event))).array();
        } catch (RejectException e) {
            throw new IllegalStateException("a generated event does not decode: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
