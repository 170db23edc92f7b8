package dev.streamingcdp.kafka;

import dev.streamingcdp.config.JobDefinition;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Kafka sources and sinks configured from job.yaml: one place for delivery guarantee and transaction settings. */
public final class KafkaIO {

    private KafkaIO() {}

    /** Applies broker, group, start position and read_committed (our inputs may be written transactionally). */
    public static <T> KafkaSourceBuilder<T> configure(KafkaSourceBuilder<T> builder, JobDefinition job) {
        JobDefinition.Kafka kafka = job.kafka();
        Properties props = new Properties();
        props.putAll(kafka.properties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return builder
                .setBootstrapServers(kafka.bootstrapServers())
                .setGroupId(kafka.consumerGroup())
                .setStartingOffsets(switch (kafka.startingOffsets()) {
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                })
                .setProperties(props);
    }

    /**
     * A sink with the job's delivery guarantee. {@code role} makes the transactional ids of each sink distinct,
     * which EXACTLY_ONCE needs.
     */
    public static <T> KafkaSink<T> sink(JobDefinition job, String role, KafkaRecordSerializationSchema<T> serializer) {
        return sink(job, job.delivery(), role, serializer);
    }

    /** A sink with its own guarantee (a destination may differ from the job). */
    public static <T> KafkaSink<T> sink(JobDefinition job, JobDefinition.DeliveryGuarantee guarantee, String role,
            KafkaRecordSerializationSchema<T> serializer) {
        JobDefinition.Kafka kafka = job.kafka();
        Properties props = new Properties();
        props.putAll(kafka.properties());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(kafka.transactionTimeout().toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(props)
                .setDeliveryGuarantee(DeliveryGuarantee.valueOf(guarantee.name()))
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + role)
                .setRecordSerializer(serializer)
                .build();
    }
}
