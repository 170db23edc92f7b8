package dev.streamingcdp.identity;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.kafka.KafkaIO;
import dev.streamingcdp.kafka.NoEventTime;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The job's loop between the profile operator and the identity and profile operators (Flink 2 has no iterations
 * inside a job graph). Messages are Avro single-object encoded, keyed by their target, with their writer's stamp in
 * two headers. Written at-least-once whatever the job's guarantee (flushed before each checkpoint completes), so a
 * merge step is read as soon as it is written instead of at the next commit; {@link DropPhantoms} keeps the loop
 * exactly-once. Read committed all the same: a message of a release that wrote the loop transactionally is read only
 * if it was committed, and non-transactional writes are visible at once under read_committed too.
 */
public final class FeedbackTopic {

    private FeedbackTopic() {}

    static final String WRITER_HEADER = "cdp-writer";
    static final String EPOCH_HEADER = "cdp-epoch";

    public static KafkaSource<StampedFeedback> source(JobDefinition job) {
        return KafkaIO.configure(KafkaSource.<StampedFeedback>builder(), job)
                .setGroupId(job.kafka().consumerGroup() + "-identity-feedback")
                .setTopics(job.topics().identityFeedback())
                .setDeserializer(new Deserializer())
                .build();
    }

    public static KafkaSink<StampedFeedback> sink(JobDefinition job) {
        return KafkaIO.sink(job, JobDefinition.DeliveryGuarantee.AT_LEAST_ONCE, "identity-feedback",
                new Serializer(job.topics().identityFeedback()));
    }

    /** Feedback carries no event time of its own: it must never hold back or move the events' watermark. */
    public static WatermarkStrategy<StampedFeedback> watermarks() {
        return NoEventTime.idle();
    }

    /** A POJO holding an Avro record: checked by FeedbackTopicTest, so it never falls back to Kryo. */
    public static final TypeInformation<StampedFeedback> TYPE = TypeInformation.of(StampedFeedback.class);

    public static String target(FeedbackMessage m) {
        if (m.getCommand() instanceof IdentityCommand i) {
            return i.getKey();
        }
        return m.getCommand() instanceof ProfileCommand p ? p.getProfileId()
                : "privacy:" + ((SuppressionUpdate) m.getCommand()).getRequestId();
    }

    static final class Serializer implements KafkaRecordSerializationSchema<StampedFeedback> {
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(StampedFeedback s, KafkaSinkContext ctx, Long timestamp) {
            try {
                ByteBuffer body = s.message.toByteBuffer();
                byte[] value = new byte[body.remaining()];
                body.get(value);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                        target(s.message).getBytes(StandardCharsets.UTF_8), value);
                record.headers().add(WRITER_HEADER, s.writer.getBytes(StandardCharsets.UTF_8));
                record.headers().add(EPOCH_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(0, s.epoch).array());
                return record;
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode a feedback message", e);
            }
        }
    }

    /** Written by this job only, so a message that does not decode is a bug worth failing for, not bad input. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<StampedFeedback> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<StampedFeedback> out)
                throws IOException {
            FeedbackMessage m = FeedbackMessage.fromByteBuffer(ByteBuffer.wrap(record.value()));
            Header writer = record.headers().lastHeader(WRITER_HEADER);
            Header epoch = record.headers().lastHeader(EPOCH_HEADER);
            out.collect(writer == null || epoch == null ? new StampedFeedback(null, 0, m)
                    : new StampedFeedback(new String(writer.value(), StandardCharsets.UTF_8),
                            ByteBuffer.wrap(epoch.value()).getLong(), m));
        }

        @Override
        public TypeInformation<StampedFeedback> getProducedType() {
            return TYPE;
        }
    }
}
