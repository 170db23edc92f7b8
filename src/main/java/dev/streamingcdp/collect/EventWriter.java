package dev.streamingcdp.collect;

import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.JobDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes events to the job's JSON input topic with an idempotent acks=all producer: a request's future completes only
 * when the broker has every one of its events on all in-sync replicas, and fails with the first event that does not.
 */
public final class EventWriter implements AutoCloseable {

    /**
     * How the producer batches and when it gives up. {@code linger}: how long a record may wait for others to share
     * its request (a request below saturation pays it on top of the broker's answer); {@code batchSize}: bytes per
     * partition and request; {@code giveUpAfter}: how long it keeps trying an event (at least the request timeout plus
     * the linger). The collect command gives it the ack timeout: an event answered 503 is then not written later
     * (unless it was already on its way to the broker), when the SDK's retry writes it again.
     */
    public record Tuning(Duration linger, int batchSize, Duration giveUpAfter) {

        public static final Tuning DEFAULT = new Tuning(Duration.ofMillis(1), 256 * 1024, Duration.ofSeconds(5));

        public Tuning {
            if (linger.isNegative() || batchSize < 1024) {
                throw new IllegalArgumentException("linger must be >= 0 and batch size >= 1024 bytes, were "
                        + linger + " and " + batchSize);
            }
        }
    }

    private static final int REQUEST_TIMEOUT_MS = 5000;

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final CollectorMetrics metrics;

    public EventWriter(JobDefinition job, CollectorMetrics metrics) {
        this(job, metrics, Tuning.DEFAULT);
    }

    public EventWriter(JobDefinition job, CollectorMetrics metrics, Tuning tuning) {
        this.topic = job.topics().events().stream()
                .filter(t -> t.format() == JobDefinition.Format.JSON)
                .findFirst()
                .orElseThrow(() -> ConfigException.field("topics.events",
                        "the collector writes Segment JSON and needs an input topic with format: json"))
                .name();
        this.metrics = metrics;
        Properties props = new Properties();
        props.putAll(job.kafka().properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, job.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(tuning.linger().toMillis()));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(tuning.batchSize()));
        // send() must not hold a request thread for long when the broker's metadata is missing
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(REQUEST_TIMEOUT_MS));
        // the producer refuses a delivery timeout below request timeout + linger
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(tuning.giveUpAfter().toMillis(),
                REQUEST_TIMEOUT_MS + tuning.linger().toMillis())));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "cdp-collector");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        Properties adminProps = new Properties();
        adminProps.putAll(job.kafka().properties());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, job.kafka().bootstrapServers());
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "cdp-collector-ready");
        this.admin = Admin.create(adminProps);
    }

    public String topic() {
        return topic;
    }

    /** Completes when every event is acknowledged; fails with the first send error. */
    public CompletableFuture<Void> writeAll(List<EventStamper.Stamped> events) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(events.size());
        long start = System.nanoTime();
        try {
            for (EventStamper.Stamped e : events) {
                if (done.isDone()) { // a failed send (no metadata within max.block.ms): the rest would wait too
                    break;
                }
                producer.send(new ProducerRecord<>(topic, e.key(), e.json()), (meta, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else if (pending.decrementAndGet() == 0) {
                        metrics.kafkaSend(System.nanoTime() - start);
                        done.complete(null);
                    }
                });
            }
        } catch (RuntimeException e) { // metadata not available within max.block.ms, producer closed
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Readiness: the cluster answers within {@code timeout}. */
    public boolean reachable(Duration timeout) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** Sends what is still buffered (bounded), then closes. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(2));
    }
}
