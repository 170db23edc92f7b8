package dev.streamingcdp.simulator;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends the generated traffic to Kafka at the set rate until the record limit, the duration or {@link #stop()},
 * with a progress line every 5 s and a summary at the end. It owns the producer and closes it, which delivers
 * whatever is still in flight, before it reports itself finished.
 */
public final class SimulationRun {

    /** When to stop; maxRecords counts records of every kind. */
    public record Limits(double eventsPerSecond, long maxRecords, Duration duration) {}

    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final TrafficGenerator generator;
    private final List<String> topics;
    private final Producer<String, byte[]> producer;
    private final Limits limits;
    private final PrintWriter out;
    private final TrafficStats stats = new TrafficStats();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    public SimulationRun(TrafficGenerator generator, List<String> topics, Producer<String, byte[]> producer,
            Limits limits, PrintWriter out) {
        this.generator = generator;
        this.topics = List.copyOf(topics);
        this.producer = producer;
        this.limits = limits;
        this.out = out;
    }

    /** Returns 0 when it stopped as asked, 1 when a topic is missing or Kafka refused a record. */
    public int run() throws InterruptedException {
        long start = System.nanoTime();
        try {
            checkTopics();
            send(start);
        } catch (KafkaException e) {
            failure.compareAndSet(null, e);
        } finally {
            producer.close(CLOSE_TIMEOUT);
            out.printf("finished after %ds: %s%n", elapsedSeconds(start), stats.summary());
            Exception e = failure.get();
            if (e != null) {
                out.println("error: " + e.getMessage());
            }
            finished.countDown();
        }
        return failure.get() == null ? 0 : 1;
    }

    /** Asks a running {@link #run()} to stop soon; it then still closes the producer and prints the summary. */
    public void stop() {
        stopRequested.countDown();
    }

    /** For a shutdown hook: the JVM must not exit before the producer has delivered what it holds. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A missing topic would otherwise show as a send timeout a minute later; say what to do instead. */
    private void checkTopics() {
        for (String topic : topics) {
            try {
                producer.partitionsFor(topic);
            } catch (KafkaException e) {
                throw new KafkaException("topic " + topic + " is not available (create it with `cdp topics`): "
                        + e.getMessage(), e);
            }
        }
    }

    private void send(long start) throws InterruptedException {
        Pacer pacer = new Pacer(limits.eventsPerSecond(), start);
        long durationNanos = limits.duration() == null ? Long.MAX_VALUE : limits.duration().toNanos();
        long nextProgress = start + PROGRESS_NANOS;
        for (long sent = 0; sent < limits.maxRecords() && failure.get() == null; sent++) {
            long now = System.nanoTime();
            if (now - start >= durationNanos || stopRequested.await(pacer.claim(now), TimeUnit.NANOSECONDS)) {
                return;
            }
            SimulatedRecord record = generator.next();
            producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()), (metadata, e) -> {
                if (e == null) {
                    stats.acknowledged(record.kind());
                } else {
                    stats.failed();
                    failure.compareAndSet(null, e);
                }
            });
            if (now - nextProgress >= 0) {
                long seconds = elapsedSeconds(start);
                out.printf("%5ds %7.0f/s  %s%n", seconds, stats.acknowledged() / (double) Math.max(1, seconds),
                        stats.summary());
                nextProgress += PROGRESS_NANOS;
            }
        }
    }

    private static long elapsedSeconds(long start) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    }
}
