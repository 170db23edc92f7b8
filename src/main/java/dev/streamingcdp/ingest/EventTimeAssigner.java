package dev.streamingcdp.ingest;

import dev.streamingcdp.ingest.avro.IngestRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** The event's own timestamp is its event time; records without a usable one never move the watermark. */
public class EventTimeAssigner implements SerializableTimestampAssigner<IngestRecord> {

    @Override
    public long extractTimestamp(IngestRecord record, long kafkaTimestamp) {
        return record.getEvent() == null ? Long.MIN_VALUE : Timestamps.eventTimeOrMin(record.getEvent().getTimestamp());
    }
}
