package dev.streamingcdp.cli;

import dev.streamingcdp.config.JobDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes to a job's segment control topic (keyed by segment id): a definition as JSON, or a tombstone. Every write
 * waits until all in-sync replicas have it, so "pushed" means the job will read it.
 */
final class ControlTopicWriter implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    /** Why nothing (more) could be written; the message is one line for the terminal. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    private ControlTopicWriter(JobDefinition job) {
        this.topic = job.topics().segmentControl();
        this.producer = new KafkaProducer<>(producerProperties(job));
    }

    /** A writer for {@code job}'s control topic, once the topic is known to exist. */
    static ControlTopicWriter open(JobDefinition job) throws Failure, InterruptedException {
        requireTopic(job);
        return new ControlTopicWriter(job);
    }

    void put(String id, String json) throws Failure, InterruptedException {
        send(id, json.getBytes(StandardCharsets.UTF_8));
    }

    void delete(String id) throws Failure, InterruptedException {
        send(id, null);
    }

    private void send(String id, byte[] value) throws Failure, InterruptedException {
        try {
            producer.send(new ProducerRecord<>(topic, id, value)).get();
        } catch (ExecutionException e) {
            throw new Failure("writing '" + id + "' to " + topic + " failed: " + e.getCause().getMessage());
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    // A producer would have a missing topic created with broker defaults (not compacted) where brokers allow it.
    private static void requireTopic(JobDefinition job) throws Failure, InterruptedException {
        Properties props = new Properties();
        props.putAll(job.kafka().properties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, job.kafka().bootstrapServers());
        // Give up within seconds, not the default minute, when the broker is not there (close waits as long).
        int timeoutMillis = (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        String topic = job.topics().segmentControl();
        Set<String> topics;
        try (Admin admin = Admin.create(props)) {
            topics = admin.listTopics().names().get(); // bounded by the API timeout
        } catch (ExecutionException e) {
            throw new Failure(e.getCause() instanceof TimeoutException
                    ? "no answer from Kafka at " + job.kafka().bootstrapServers()
                    : "cannot list the topics at " + job.kafka().bootstrapServers() + ": " + e.getCause().getMessage());
        }
        if (!topics.contains(topic)) {
            throw new Failure("topic " + topic + " is missing (create the job's topics with `cdp topics`)");
        }
    }

    private static Properties producerProperties(JobDefinition job) {
        Properties props = new Properties();
        props.putAll(job.kafka().properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, job.kafka().bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "cdp-segments");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }
}
