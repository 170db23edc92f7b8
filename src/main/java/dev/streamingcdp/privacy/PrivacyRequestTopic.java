package dev.streamingcdp.privacy;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.KafkaIO;
import dev.streamingcdp.kafka.NoEventTime;
import dev.streamingcdp.kafka.SourceRefs;
import dev.streamingcdp.privacy.avro.PrivacyRecord;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The privacy request topic, read as it is (bytes, time, position); {@link PrivacyRequestFunction} checks it. */
public final class PrivacyRequestTopic {

    private PrivacyRequestTopic() {}

    /**
     * From the earliest request when the job starts without state: the suppression list lives in the job's state,
     * and re-reading the requests still on the topic rebuilds it (every request is idempotent). A restore resumes
     * from the checkpointed offsets.
     */
    public static KafkaSource<PrivacyRecord> source(JobDefinition job) {
        return KafkaIO.configure(KafkaSource.<PrivacyRecord>builder(), job)
                .setGroupId(job.kafka().consumerGroup() + "-privacy-requests")
                .setTopics(job.topics().privacyRequests())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new Deserializer())
                .build();
    }

    /** Requests have no event time: they must never hold back or move the events' watermark downstream. */
    public static WatermarkStrategy<PrivacyRecord> watermarks() {
        return NoEventTime.idle();
    }

    static final class Deserializer implements KafkaRecordDeserializationSchema<PrivacyRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<PrivacyRecord> out) {
            out.collect(new PrivacyRecord(r.value() == null ? null : ByteBuffer.wrap(r.value()), r.timestamp(),
                    SourceRefs.of(r)));
        }

        @Override
        public TypeInformation<PrivacyRecord> getProducedType() {
            return new AvroTypeInfo<>(PrivacyRecord.class);
        }
    }
}
