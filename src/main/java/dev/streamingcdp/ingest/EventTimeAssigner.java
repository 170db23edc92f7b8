package dev.streamingcdp.ingest;

import dev.streamingcdp.ingest.avro.IngestRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * The event's own timestamp is its event time. Records without a usable one never move the watermark, and neither
 * does a timestamp too far ahead of the Kafka record's (a client with a wrong clock): one such event on a quiet
 * partition would otherwise move event time ahead and lapse every window at once. Validation refuses those events.
 */
public class EventTimeAssigner implements SerializableTimestampAssigner<IngestRecord> {

    private final long maxAheadMillis;

    public EventTimeAssigner(Duration maxAhead) {
        this.maxAheadMillis = maxAhead.toMillis();
    }

    @Override
    public long extractTimestamp(IngestRecord record, long kafkaTimestamp) {
        if (record.getEvent() == null) {
            return Long.MIN_VALUE;
        }
        long eventTime = Timestamps.eventTimeOrMin(record.getEvent().getTimestamp());
        return Timestamps.tooFarAhead(eventTime, kafkaTimestamp, maxAheadMillis) ? Long.MIN_VALUE : eventTime;
    }
}
