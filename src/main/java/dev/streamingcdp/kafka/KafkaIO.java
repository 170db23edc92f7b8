package dev.streamingcdp.kafka;

import dev.streamingcdp.config.JobDefinition;
import java.time.Duration;
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

    /**
     * How long a sink's producer call may block (Kafka's max.block.ms, 60 s by default). It bounds more than send():
     * the abort of the open transaction when a task closes (cancel, stop-with-savepoint, failover), the commit, and
     * the abort of lingering transactions at start (initTransactions) all wait up to it for their EndTxn or
     * InitProducerId, one after the other per sink of a task. With the default, one unanswered call held a cancel
     * for 60 s per sink, up to Flink's 180 s task-cancellation timeout. A call that times out fails the close (the
     * transaction is then aborted by the next start or by the broker after kafka.transactionTimeout) or, for a
     * send, the task, which restarts from its checkpoint. kafka.properties may set max.block.ms to override it.
     */
    static final Duration SINK_MAX_BLOCK = Duration.ofSeconds(10);

    /**
     * Batching of the sinks' producers: up to 25 ms and 128 KB per partition batch (Kafka's defaults: 5 ms, 16 KB).
     * A job's sixteen producers each spread over four partitions, so with the defaults most requests carried a few
     * records; larger batches cost the broker a fifth less CPU per event and the job 6 % (bench/ANALYSIS.md, Round 4).
     * The price is up to 25 ms more before an AT_LEAST_ONCE record is visible (EXACTLY_ONCE waits for the checkpoint
     * anyway). kafka.properties may set linger.ms and batch.size to override them.
     */
    static final String SINK_LINGER_MS = "25";
    static final String SINK_BATCH_BYTES = "131072";

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

    /** A sink's producer settings: kafka.properties first, then ours where it says nothing. */
    static Properties sinkProperties(JobDefinition.Kafka kafka) {
        Properties props = new Properties();
        props.putAll(kafka.properties());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(kafka.transactionTimeout().toMillis()));
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(SINK_MAX_BLOCK.toMillis()));
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, SINK_LINGER_MS);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, SINK_BATCH_BYTES);
        return props;
    }

    /** A sink with its own guarantee (a destination may differ from the job). */
    public static <T> KafkaSink<T> sink(JobDefinition job, JobDefinition.DeliveryGuarantee guarantee, String role,
            KafkaRecordSerializationSchema<T> serializer) {
        JobDefinition.Kafka kafka = job.kafka();
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(sinkProperties(kafka))
                .setDeliveryGuarantee(DeliveryGuarantee.valueOf(guarantee.name()))
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + role)
                .setRecordSerializer(serializer)
                .build();
    }
}
