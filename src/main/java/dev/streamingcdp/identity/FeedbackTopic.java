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
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The job's loop between the profile operator and the identity and profile operators (Flink 2 has no iterations
 * inside a job graph). Messages are Avro single-object encoded, keyed by their target.
 */
public final class FeedbackTopic {

    private FeedbackTopic() {}

    public static KafkaSource<FeedbackMessage> source(JobDefinition job) {
        return KafkaIO.configure(KafkaSource.<FeedbackMessage>builder(), job)
                .setGroupId(job.kafka().consumerGroup() + "-identity-feedback")
                .setTopics(job.topics().identityFeedback())
                .setDeserializer(new Deserializer())
                .build();
    }

    public static KafkaSink<FeedbackMessage> sink(JobDefinition job) {
        return KafkaIO.sink(job, "identity-feedback", new Serializer(job.topics().identityFeedback()));
    }

    /** Feedback carries no event time of its own: it must never hold back or move the events' watermark. */
    public static WatermarkStrategy<FeedbackMessage> watermarks() {
        return NoEventTime.idle();
    }

    public static String target(FeedbackMessage m) {
        if (m.getCommand() instanceof IdentityCommand i) {
            return i.getKey();
        }
        return m.getCommand() instanceof ProfileCommand p ? p.getProfileId()
                : "privacy:" + ((SuppressionUpdate) m.getCommand()).getRequestId();
    }

    static final class Serializer implements KafkaRecordSerializationSchema<FeedbackMessage> {
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(FeedbackMessage m, KafkaSinkContext ctx, Long timestamp) {
            try {
                ByteBuffer body = m.toByteBuffer();
                byte[] value = new byte[body.remaining()];
                body.get(value);
                return new ProducerRecord<>(topic, target(m).getBytes(StandardCharsets.UTF_8), value);
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode a feedback message", e);
            }
        }
    }

    /** Written by this job only, so a message that does not decode is a bug worth failing for, not bad input. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<FeedbackMessage> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FeedbackMessage> out)
                throws IOException {
            out.collect(FeedbackMessage.fromByteBuffer(ByteBuffer.wrap(record.value())));
        }

        @Override
        public TypeInformation<FeedbackMessage> getProducedType() {
            return new AvroTypeInfo<>(FeedbackMessage.class);
        }
    }
}
