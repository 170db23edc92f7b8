package dev.streamingcdp.bench;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "preload", description = "Write N records of the benchmark traffic to the input topic before a job "
        + "starts (and create the baseline's output topic), so a job's throughput is measured on a full backlog.")
class PreloadCommand implements java.util.concurrent.Callable<Integer> {

    /** Event time advances as if 2,000 events/s arrived: a busy shop, with windows that do fill and lapse. */
    private static final Duration TIME_STEP = Duration.ofNanos(500_000);

    @Mixin
    JobDirOption prepared;

    @Option(names = "--events", required = true, description = "How many records.")
    long events;

    @Mixin
    TrafficOptions traffic;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = JobDefinition.load(prepared.jobDir);
        TopicAdmin.createMissing(job.kafka().bootstrapServers(), job.kafka().properties(), List.of(
                new TopicRegistry.Topic(BaselineJob.OUTPUT_TOPIC, TopicRegistry.Role.EVENTS,
                        job.topics().partitions(), Map.of())));
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(TIME_STEP.multipliedBy(events));
        BenchTraffic mix = traffic.traffic(job, "load", 0, 500, start, TIME_STEP);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long began = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = Producers.create(job, "bench-preload", 20)) {
            for (long i = 0; i < events && failure.get() == null; i++) {
                BenchTraffic.Record r = mix.next();
                producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        System.out.printf("preloaded %d records in %.1fs%n", events, (System.nanoTime() - began) / 1e9);
        return 0;
    }
}
