package dev.streamingcdp.ingest;

import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.ingest.avro.IngestRecord;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.kafka.SourceRefs;
import dev.streamingcdp.model.Rejection;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes inside the Kafka source so that event time is known per partition (per-partition watermarks). It never
 * throws: a record that cannot be decoded is emitted with its rejection and goes on to the dead-letter topic.
 */
public class IngestDeserializer implements KafkaRecordDeserializationSchema<IngestRecord> {

    private final Map<String, Format> formatByTopic;
    private final int maxPayloadBytes;
    private transient Counter recordsIn;

    public IngestDeserializer(Map<String, Format> formatByTopic, int maxPayloadBytes) {
        this.formatByTopic = Map.copyOf(formatByTopic);
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        recordsIn = context.getMetricGroup().addGroup("ingest").counter("recordsIn");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestRecord> out) {
        recordsIn.inc();
        byte[] payload = record.value() == null ? new byte[0] : record.value();
        IngestRecord.Builder result = IngestRecord.newBuilder()
                .setSource(SourceRefs.of(record));
        if (payload.length > maxPayloadBytes) {
            // Only a prefix goes on: the whole payload, escaped as JSON text in its dead letter, can be several
            // times larger than Kafka's 1 MB record limit and would fail the dead-letter sink (and so the job).
            result.setPayload(ByteBuffer.wrap(Arrays.copyOf(payload, maxPayloadBytes)))
                    .setRejection(new Rejection(RejectReason.TOO_LARGE.code(), payload.length
                            + " bytes is over the limit of " + maxPayloadBytes + "; the dead letter keeps the first "
                            + maxPayloadBytes + " bytes, the record stays in its topic at the source offset"));
        } else {
            result.setPayload(ByteBuffer.wrap(payload));
            try {
                result.setEvent(decode(record.topic(), payload));
            } catch (RejectException e) {
                result.setRejection(new Rejection(e.reason().code(), e.getMessage()));
            }
        }
        out.collect(result.build());
    }

    private SegmentEvent decode(String topic, byte[] payload) throws RejectException {
        return formatByTopic.get(topic) == Format.AVRO
                ? AvroEventDecoder.decode(payload)
                : JsonEventDecoder.decode(payload);
    }

    @Override
    public TypeInformation<IngestRecord> getProducedType() {
        return new AvroTypeInfo<>(IngestRecord.class);
    }
}
