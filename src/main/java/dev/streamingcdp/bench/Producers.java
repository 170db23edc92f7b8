package dev.streamingcdp.bench;

import dev.streamingcdp.config.JobDefinition;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The benchmark's input producer: as the simulator's (acks=all, idempotent), with bigger batches for the preload. */
final class Producers {

    private Producers() {}

    static KafkaProducer<String, byte[]> create(JobDefinition job, String clientId, int lingerMs) {
        Properties props = new Properties();
        props.putAll(job.kafka().properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, job.kafka().bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
