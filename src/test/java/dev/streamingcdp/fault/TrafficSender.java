package dev.streamingcdp.fault;

import dev.streamingcdp.simulator.SimulatedRecord;
import dev.streamingcdp.simulator.TrafficGenerator;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the simulator's records at a steady rate in the background until stopped, and says how many it sent, so
 * that the oracle can generate exactly those again. Idempotent and acknowledged by all replicas: every record is in
 * the topic exactly once, or the run fails.
 */
final class TrafficSender implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final TrafficGenerator generator;
    private final long intervalNanos;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private long sent; // written by the sending thread only, read after join()

    TrafficSender(String bootstrap, TrafficGenerator generator, double eventsPerSecond) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        this.generator = generator;
        this.intervalNanos = Math.round(1e9 / eventsPerSecond);
        this.thread = new Thread(this::send, "fault-traffic");
        thread.setDaemon(true);
        thread.start();
    }

    private void send() {
        long next = System.nanoTime();
        try {
            while (failure.get() == null && !stop.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                SimulatedRecord r = generator.next();
                producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                sent++;
                next += intervalNanos;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sending, waits until Kafka acknowledged everything sent, and returns how many records that was. */
    long stop() throws InterruptedException {
        stop.countDown();
        thread.join();
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka refused a record of the traffic", failure.get());
        }
        return sent;
    }

    @Override
    public void close() {
        stop.countDown();
        producer.close(Duration.ofSeconds(30));
    }
}
