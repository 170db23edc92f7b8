package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.simulator.JobInput;
import dev.streamingcdp.simulator.Pacer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backfill", description = "Load N profiles through a running job, then add a segment over all of "
        + "them while traffic with latency probes runs: how long the backfill takes and the event-to-activation "
        + "latency of the probes sent meanwhile.")
class BackfillBenchCommand implements Callable<Integer> {

    static final String SEGMENT = "bench-backfill";
    private static final List<String> TIERS = List.of("gold", "silver", "bronze");
    private static final Pattern PENDING = Pattern.compile(".*\\.profile\\.backfill\\.pending");
    private static final Pattern CREATED = Pattern.compile(".*\\.profile\\.profilesCreated");

    @Mixin
    JobDirOption prepared;

    @Option(names = "--rest", required = true, description = "The job's REST address.")
    String rest;

    @Option(names = "--profiles", defaultValue = "100000", description = "Profiles to load (default: ${DEFAULT-VALUE}).")
    int profiles;

    @Option(names = "--rate", defaultValue = "200", description = "Records/s sent while measuring (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--probe-share", defaultValue = "0.05",
            description = "Share of those records that are latency probes (default: ${DEFAULT-VALUE}).")
    double probeShare;

    @Option(names = "--warmup", defaultValue = "20",
            description = "Seconds of traffic before the segment is added (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--probe-destination", defaultValue = "email-marketing",
            description = "The destination the probe segment feeds (default: ${DEFAULT-VALUE}).")
    String probeDestination;

    @Mixin
    TrafficOptions traffic;

    @Option(names = "--out", required = true)
    Path out;

    /** What one run measured; latencies in ms, of the probes sent while the backfill ran. */
    record Result(int profiles, double loadSeconds, double backfillSeconds, long entered, long expected,
            double rate, Results.Summary activation, Results.Summary activationVisible) {}

    @Override
    public Integer call() throws Exception {
        JobDefinition job = JobDefinition.load(prepared.jobDir);
        FlinkRest flink = new FlinkRest(rest);
        String jobId = flink.awaitRunningJob(Duration.ofMinutes(5));
        String profileVertex = vertexWith(flink, jobId, CREATED);
        double loadSeconds = load(job, flink, jobId, profileVertex);

        String activationTopic = Destinations.load(prepared.jobDir, SegmentCatalog.load(prepared.jobDir))
                .destinations().stream().filter(d -> d.name().equals(probeDestination)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no destination " + probeDestination)).topic();
        LatencyProbe probes = new LatencyProbe(job.kafka().bootstrapServers(), job.kafka().properties(),
                activationTopic, null);
        SegmentEntries entries = new SegmentEntries(job, SEGMENT);
        Thread probeThread = new Thread(probes, "activation-probe");
        Thread entriesThread = new Thread(entries, "segment-entries");
        probeThread.start();
        entriesThread.start();
        probes.awaitAssigned();
        entries.awaitAssigned();

        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread sender = new Thread(() -> send(job, probes, measuring, stop, failure), "traffic");
        sender.start();
        TimeUnit.SECONDS.sleep(warmupSeconds);

        long expected = (profiles + TIERS.size() - 1) / TIERS.size(); // every third one is gold
        measuring.set(true);
        long t0 = System.nanoTime();
        pushSegment(job);
        System.out.printf("segment %s added over %,d profiles (%,d of them gold)%n", SEGMENT, profiles, expected);
        long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
        double pendingSeen = 0;
        while (System.nanoTime() < deadline && failure.get() == null && entries.count() < expected) {
            pendingSeen = Math.max(pendingSeen, sum(flink, jobId, profileVertex, PENDING).orElse(0.0));
            Thread.sleep(200);
        }
        double backfillSeconds = (entries.lastAt() - t0) / 1e9;
        measuring.set(false);
        TimeUnit.SECONDS.sleep(5);
        stop.set(true);
        sender.join();
        long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (probes.pending() > 0 && System.nanoTime() < wait) {
            Thread.sleep(200);
        }
        probes.stop();
        entries.stop();
        probeThread.join();
        entriesThread.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        Result result = new Result(profiles, loadSeconds, backfillSeconds, entries.count(), expected, rate,
                probes.summary(false), probes.summary(true));
        Results.write(out, result);
        System.out.printf("backfill of %,d profiles: %.1f s (%,d of %,d entered; backfill gauge peaked at %.0f "
                + "pending); probes meanwhile: activation p50/p99/max %d/%d/%d ms (visible %d/%d/%d, %d missing)%n",
                profiles, backfillSeconds, entries.count(), expected, pendingSeen, result.activation().p50(),
                result.activation().p99(), result.activation().max(), result.activationVisible().p50(),
                result.activationVisible().p99(), result.activationVisible().max(), result.activation().missing());
        return result.entered() == expected ? 0 : 1;
    }

    /** One identify per profile (user id bf-N, a tier), sent as fast as the broker takes them, then drained. */
    private double load(JobDefinition job, FlinkRest flink, String jobId, String vertex) throws Exception {
        long began = System.nanoTime();
        double before = sum(flink, jobId, vertex, CREATED).orElse(0.0);
        String topic = JobInput.of(job).jsonTopic();
        Instant at = Instant.now().minus(Duration.ofHours(1));
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = Producers.create(job, "bench-backfill-load", 20)) {
            for (int i = 0; i < profiles && failure.get() == null; i++) {
                String userId = "bf-" + i;
                ObjectNode e = Json.object().put("type", "identify").put("messageId", "bf-load-" + i)
                        .put("timestamp", at.toString()).put("userId", userId);
                e.putObject("traits").put("tier", TIERS.get(i % TIERS.size()));
                producer.send(new ProducerRecord<>(topic, userId, e.toString().getBytes(StandardCharsets.UTF_8)),
                        (m, x) -> {
                            if (x != null) {
                                failure.compareAndSet(null, x);
                            }
                        });
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (sum(flink, jobId, vertex, CREATED).orElse(0.0) - before < profiles) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not create " + profiles + " profiles in 30 minutes");
            }
            Thread.sleep(1_000);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("loaded %,d profiles in %.1f s (%.0f/s)%n", profiles, seconds, profiles / seconds);
        return seconds;
    }

    private void pushSegment(JobDefinition job) throws Exception {
        ObjectNode doc = Json.object().put("id", SEGMENT).put("name", "Benchmark backfill").put("version", 1);
        doc.putArray("destinations").add(probeDestination);
        doc.putObject("condition").put("trait", "tier").put("equals", "gold");
        try (KafkaProducer<String, byte[]> producer = Producers.create(job, "bench-backfill-control", 0)) {
            producer.send(new ProducerRecord<>(job.topics().segmentControl(), SEGMENT,
                    doc.toString().getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** The benchmark traffic at {@code rate}; probes sent while {@code measuring} are awaited. */
    private void send(JobDefinition job, LatencyProbe probes, AtomicBoolean measuring, AtomicBoolean stop,
            AtomicReference<Exception> failure) {
        BenchTraffic mix = traffic.traffic(job, "bf", probeShare, Math.round(rate), Instant.now(),
                Duration.ofNanos(Math.round(1e9 / rate)));
        try (KafkaProducer<String, byte[]> producer = Producers.create(job, "bench-backfill-traffic", 0)) {
            Pacer pacer = new Pacer(rate, System.nanoTime());
            while (!stop.get() && failure.get() == null) {
                long wait = pacer.claim(System.nanoTime());
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                BenchTraffic.Record r = mix.next();
                if (measuring.get() && r.kind() == BenchTraffic.Kind.PROBE) {
                    probes.await(r.profileId(), System.currentTimeMillis());
                }
                producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private static String vertexWith(FlinkRest flink, String jobId, Pattern metric) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            for (String v : flink.vertexIds(jobId)) {
                if (!flink.metricIds(jobId, v, metric).isEmpty()) {
                    return v;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no vertex reports " + metric);
    }

    private static Optional<Double> sum(FlinkRest flink, String jobId, String vertex, Pattern metric)
            throws Exception {
        List<String> ids = flink.metricIds(jobId, vertex, metric);
        double total = 0;
        boolean any = false;
        for (String id : ids) {
            Optional<Double> v = flink.sum(jobId, vertex, id);
            if (v.isPresent()) {
                total += v.get();
                any = true;
            }
        }
        return any ? Optional.of(total) : Optional.empty();
    }
}
