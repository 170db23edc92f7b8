package dev.streamingcdp.segment;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.KafkaIO;
import dev.streamingcdp.kafka.NoEventTime;
import dev.streamingcdp.kafka.SourceRefs;
import dev.streamingcdp.segment.avro.ControlRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The segment control topic: definitions as JSON keyed by segment id, a tombstone deletes one. Records are taken as
 * they are (bytes, key, position); checking them is {@link SegmentControlFunction}'s job, so bad ones reach the DLQ.
 */
public final class SegmentControlTopic {

    private SegmentControlTopic() {}

    /**
     * From the start whenever the job starts without state (a restore takes its offsets from the checkpoint): the
     * compacted topic is the set of definitions, and committed offsets would skip the ones pushed earlier.
     */
    public static KafkaSource<ControlRecord> source(JobDefinition job) {
        return KafkaIO.configure(KafkaSource.<ControlRecord>builder(), job)
                .setGroupId(job.kafka().consumerGroup() + "-segment-control")
                .setTopics(job.topics().segmentControl())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new Deserializer())
                .build();
    }

    /** Definitions have no event time: they must never hold back or move the events' watermark. */
    public static WatermarkStrategy<ControlRecord> watermarks() {
        return NoEventTime.idle();
    }

    static final class Deserializer implements KafkaRecordDeserializationSchema<ControlRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<ControlRecord> out) {
            out.collect(new ControlRecord(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    r.value() == null ? null : ByteBuffer.wrap(r.value()),
                    SourceRefs.of(r)));
        }

        @Override
        public TypeInformation<ControlRecord> getProducedType() {
            return new AvroTypeInfo<>(ControlRecord.class);
        }
    }
}
