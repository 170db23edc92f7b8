package dev.streamingcdp.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes each element to one topic with a key and a value computed from it (both bytes, usually JSON). */
public class KeyedJsonSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private final String topic;
    private final SerializableFunction<T, byte[]> key;
    private final SerializableFunction<T, byte[]> value;

    public KeyedJsonSerializer(String topic, SerializableFunction<T, byte[]> key, SerializableFunction<T, byte[]> value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }

    /**
     * The Kafka timestamp is the write time, not the event time: Kafka 4 brokers reject records stamped more than
     * an hour ahead (log.message.timestamp.after.max.ms), so one client with a fast clock would fail the job.
     */
    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, key.apply(element), value.apply(element));
    }
}
