package dev.streamingcdp.kafka;

import dev.streamingcdp.model.SourceRef;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a record was read, and when it was written (the start of the event-to-activation latency). */
public final class SourceRefs {

    private SourceRefs() {}

    public static SourceRef of(ConsumerRecord<?, ?> r) {
        // A record without a timestamp (-1) counts as unknown (0), as in state written before receivedAt existed.
        return new SourceRef(r.topic(), r.partition(), r.offset(), Math.max(0L, r.timestamp()));
    }
}
