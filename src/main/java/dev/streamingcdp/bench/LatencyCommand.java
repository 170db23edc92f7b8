package dev.streamingcdp.bench;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.simulator.Pacer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "latency", description = "Send the benchmark traffic at a fixed rate to a running job and measure "
        + "event-to-activation latency (probe events) and merge latency (linking event to profile.merged).")
class LatencyCommand implements Callable<Integer> {

    /** A merge's link follows its page view after this long: the anonymous profile exists by then. */
    private static final Duration LINK_DELAY = Duration.ofSeconds(1);
    /**
     * The job kept up if, when sending stopped, its source was behind by less than this much traffic (its read count
     * is taken about a second later: see recordsRead).
     */
    static final double KEPT_UP_SECONDS = 2.0;
    /** No operator's record count changed for this long: the job is idle (the metrics refresh every second). */
    private static final Duration IDLE = Duration.ofSeconds(3);

    @Mixin
    JobDirOption prepared;

    @Option(names = "--rest", required = true, description = "The job's REST address; sending starts when it runs.")
    String rest;

    @Option(names = "--rate", description = "Records per second.")
    Double rate;

    @Option(names = "--rate-from", description = "A throughput result: send at --load-factor times its steady rate.")
    Path rateFrom;

    @Option(names = "--load-factor", defaultValue = "0.5", description = "(default: ${DEFAULT-VALUE})")
    double loadFactor;

    @Option(names = "--warmup", defaultValue = "60",
            description = "Seconds of sending before the measurement starts: the job's JIT warm-up "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--duration", defaultValue = "60",
            description = "Seconds of sending with probes, after the warm-up (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--probe-share", defaultValue = "0.01",
            description = "Share of records that are latency probes (default: ${DEFAULT-VALUE}).")
    double probeShare;

    @Option(names = "--probe-destination", defaultValue = "email-marketing",
            description = "The destination the probe segment feeds (default: ${DEFAULT-VALUE}).")
    String probeDestination;

    @Mixin
    TrafficOptions traffic;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = JobDefinition.load(prepared.jobDir);
        double targetRate = rate != null ? rate
                : loadFactor * Results.read(rateFrom, Results.Throughput.class).steadyEventsPerSecond();
        String activationTopic = Destinations.load(prepared.jobDir, SegmentCatalog.load(prepared.jobDir)).destinations().stream()
                .filter(d -> d.name().equals(probeDestination)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no destination " + probeDestination)).topic();
        LatencyProbe activations = new LatencyProbe(job.kafka().bootstrapServers(), job.kafka().properties(),
                activationTopic, null);
        LatencyProbe merges = new LatencyProbe(job.kafka().bootstrapServers(), job.kafka().properties(),
                job.topics().profiles(), "profile.merged");
        FlinkRest flink = new FlinkRest(rest);
        String jobId = flink.awaitRunningJob(Duration.ofMinutes(5));
        String source = ThroughputCommand.sourceVertex(flink, jobId, job.topics().events().get(0).name());
        Thread a = new Thread(activations, "activation-probe");
        Thread m = new Thread(merges, "merge-probe");
        a.start();
        m.start();
        activations.awaitAssigned();
        merges.awaitAssigned();

        Duration step = Duration.ofNanos(Math.round(1e9 / targetRate));
        BenchTraffic mix = traffic.traffic(job, job.delivery() == JobDefinition.DeliveryGuarantee.EXACTLY_ONCE
                ? "eo" : "alo", probeShare, Math.round(targetRate * LINK_DELAY.toMillis() / 1000.0),
                Instant.now(), step);
        long[] sent = send(job, mix, targetRate, activations, merges);
        long stopped = System.nanoTime();
        double sentRate = sent[1] / (double) seconds;
        long read = recordsRead(flink, jobId, source);
        long behind = Math.max(0, sent[0] - read);
        boolean keptUp = behind < targetRate * KEPT_UP_SECONDS;
        System.out.printf("%s: sent %,d records, the job had read %,d when sending stopped: %s%n",
                job.delivery(), sent[0], read, keptUp ? "kept up" : "fell behind");

        // Exactly-once output shows when the checkpoint after it completes, and a merge takes several feedback passes
        // (each waits for one with EXACTLY_ONCE). Meanwhile: how long the operators still received records, i.e.
        // worked off what queued inside the job.
        Duration pass = job.delivery() == JobDefinition.DeliveryGuarantee.EXACTLY_ONCE ? job.checkpoint().interval()
                : Duration.ofSeconds(1);
        long waitMillis = pass.multipliedBy(8).plusSeconds(15).toMillis();
        long deadline = System.currentTimeMillis() + waitMillis;
        List<String> vertices = flink.vertexIds(jobId);
        double lastActivity = -1;
        long lastChange = stopped;
        boolean idle = false;
        while (System.currentTimeMillis() < deadline && !(idle && activations.pending() == 0
                && merges.pending() == 0)) {
            double activity = 0;
            for (String v : vertices) {
                activity += flink.sum(jobId, v, "numRecordsIn").orElse(0.0);
            }
            long now = System.nanoTime();
            if (activity != lastActivity) {
                lastActivity = activity;
                lastChange = now;
            }
            idle = now - lastChange > IDLE.toNanos();
            Thread.sleep(500);
        }
        double busyAfter = idle ? (lastChange - stopped) / 1e9 : -1;
        activations.stop();
        merges.stop();
        a.join();
        m.join();
        Results.Latency result = new Results.Latency(job.delivery().name(), targetRate, sentRate, seconds,
                job.checkpoint().interval().toMillis(), activations.summary(false), activations.summary(true),
                merges.summary(false), merges.summary(true), warmupSeconds, sent[0], read, keptUp, busyAfter);
        Results.write(out, result);
        System.out.printf("%s at %.0f/s: activation p50/p99/max %d/%d/%d ms (visible %d/%d/%d, %d missing); "
                + "merge %d/%d/%d ms (visible %d/%d/%d, %d missing)%n", result.delivery(), sentRate,
                result.activation().p50(), result.activation().p99(), result.activation().max(),
                result.activationVisible().p50(), result.activationVisible().p99(), result.activationVisible().max(),
                result.activation().missing(), result.merge().p50(), result.merge().p99(), result.merge().max(),
                result.mergeVisible().p50(), result.mergeVisible().p99(), result.mergeVisible().max(),
                result.merge().missing());
        return 0;
    }

    /**
     * The source's read count just after sending stopped. The REST endpoint answers from a cache that a request only
     * schedules to refresh (every second here): the second request, a refresh later, sees the count of that moment.
     */
    private static long recordsRead(FlinkRest flink, String jobId, String source) throws Exception {
        double first = flink.sum(jobId, source, "numRecordsIn").orElse(0.0);
        Thread.sleep(1_200);
        return Math.round(Math.max(first, flink.sum(jobId, source, "numRecordsIn").orElse(0.0)));
    }

    /** Sends the warm-up, then the measured traffic; returns {all records sent, records sent while measuring}. */
    private long[] send(JobDefinition job, BenchTraffic mix, double targetRate, LatencyProbe activations,
            LatencyProbe merges) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long measured = 0;
        try (KafkaProducer<String, byte[]> producer = Producers.create(job, "bench-latency", 0)) {
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            Pacer pacer = new Pacer(targetRate, start);
            for (long now = start; now < end && failure.get() == null; now = System.nanoTime()) {
                long wait = pacer.claim(now);
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                BenchTraffic.Record r = mix.next();
                boolean measuring = now >= measureFrom;
                if (measuring && r.kind() == BenchTraffic.Kind.PROBE) {
                    activations.await(r.profileId(), System.currentTimeMillis());
                } else if (measuring && r.kind() == BenchTraffic.Kind.MERGE_LINK) {
                    merges.await(r.profileId(), System.currentTimeMillis());
                }
                if (measuring) {
                    measured++;
                }
                producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                sent++;
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new long[] {sent, measured};
    }
}
