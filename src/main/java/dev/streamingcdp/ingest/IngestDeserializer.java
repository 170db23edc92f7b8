package dev.streamingcdp.ingest;

import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.ingest.avro.IngestRecord;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.kafka.SourceRefs;
import dev.streamingcdp.model.Rejection;
import java.nio.ByteBuffer;
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
        result.setPayload(ByteBuffer.wrap(payload));
        if (payload.length > maxPayloadBytes) {
            // Not parsed; the payload goes on whole: its dead letter cuts it to 128 KB and says so with the full size
            // (DeadLetterJson, the one place that bounds a dead letter for every path).
            result.setRejection(new Rejection(RejectReason.TOO_LARGE.code(), payload.length
                    + " bytes is over ingest.maxPayloadBytes (" + maxPayloadBytes + ")"));
        } else {
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
