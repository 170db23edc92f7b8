package dev.streamingcdp.ingest;

import dev.streamingcdp.ingest.avro.SegmentEvent;
import java.io.IOException;

/** Decodes Avro single-object-encoded SegmentEvents (header + schema fingerprint + binary body). */
public final class AvroEventDecoder {

    private AvroEventDecoder() {}

    public static SegmentEvent decode(byte[] payload) throws RejectException {
        try {
            return SegmentEvent.getDecoder().decode(payload);
        } catch (IOException | RuntimeException e) { // any failure to decode foreign bytes means a bad record
            throw new RejectException(RejectReason.BAD_AVRO,
                    "not an Avro single-object-encoded SegmentEvent: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
