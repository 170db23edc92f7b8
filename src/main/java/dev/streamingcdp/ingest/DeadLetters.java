package dev.streamingcdp.ingest;

import dev.streamingcdp.ingest.avro.IngestRecord;
import dev.streamingcdp.model.DeadLetter;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The side output every ingest operator sends rejected records to, and how a rejection becomes a DLQ record. */
public final class DeadLetters {

    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private DeadLetters() {}

    public static DeadLetter of(IngestRecord record, String reason, String detail) {
        return new DeadLetter(reason, detail, record.getSource(), record.getPayload());
    }

    public static DeadLetter of(IngestRecord record, RejectException e) {
        return of(record, e.reason().code(), e.getMessage());
    }
}
