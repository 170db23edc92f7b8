package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamingcdp.config.JobDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "throughput", description = "Time a running job (local MiniCluster REST) through the backlog in its "
        + "input topics; then read its checkpoints, profile count and peak memory.")
class ThroughputCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(500);
    /** Operator metrics (profile-unify) that give the live profile count. */
    private static final Pattern PROFILE_METRICS =
            Pattern.compile(".*\\.profile\\.(profilesCreated|merges|profilesRemoved)");

    @Mixin
    JobDirOption prepared;

    @Option(names = "--rest", required = true, description = "e.g. http://127.0.0.1:8081")
    String rest;

    @Option(names = "--name", required = true, description = "baseline, full, or a scale step.")
    String name;

    @Option(names = "--json-only", description = "The job reads only the JSON input topic (the baseline).")
    boolean jsonOnly;

    @Option(names = "--pid", required = true, description = "The job JVM, for its peak RSS.")
    long pid;

    @Option(names = "--broker-pid", defaultValue = "0", description = "The broker JVM, for its CPU time (0: none).")
    long brokerPid;

    @Option(names = "--clock-ticks", defaultValue = "100",
            description = "Clock ticks per second of /proc/PID/stat (`getconf CLK_TCK`; default: ${DEFAULT-VALUE}).")
    long clockTicks;

    @Option(names = "--cores", defaultValue = "0", description = "Cores the figures are divided by (default: all).")
    int cores;

    @Option(names = "--warmup-records", defaultValue = "0",
            description = "The first N records of the backlog are a warm-up (JIT, caches): CPU, the steady rate and the "
                    + "profile are taken after the source has read them (default: ${DEFAULT-VALUE}: no warm-up; the "
                    + "steady rate then starts at 25 % of the backlog and CPU covers the whole drain).")
    long warmupRecords;

    @Option(names = "--profiler-agent", description = "async-profiler's libasyncProfiler.so: profile the job JVM "
            + "over the measured drain only.")
    Path profilerAgent;

    @Option(names = "--profile-out", description = "Where the collapsed stacks go (with --profiler-agent).")
    Path profileOut;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = JobDefinition.load(prepared.jobDir);
        List<String> topics = job.topics().events().stream()
                .filter(t -> !jsonOnly || t.format() == JobDefinition.Format.JSON)
                .map(JobDefinition.InputTopic::name).toList();
        long records = InputTopics.records(job, topics);
        FlinkRest flink = new FlinkRest(rest);
        String jobId = flink.awaitRunningJob(Duration.ofMinutes(5));
        List<String> vertices = flink.vertexIds(jobId);
        String source = sourceVertex(flink, jobId, topics.get(0));
        Duration quiet = job.checkpoint().interval().plusSeconds(3);

        SteadyRate.Window window = SteadyRate.window(records, warmupRecords);
        AsyncProfilerControl profiler = profilerAgent != null ? new AsyncProfilerControl(profilerAgent, pid) : null;
        SteadyRate steady = new SteadyRate();
        long start = System.nanoTime();
        long first = 0;
        long measuredFrom = 0;
        double readAtMeasuredFrom = 0;
        long consumed = 0;
        long lastChange = 0;
        long[] cpuAtMeasuredFrom = null;
        long[] cpuAtLastChange = null;
        double lastActivity = -1;
        while (true) {
            long now = System.nanoTime();
            long[] cpu = {ProcessCpu.ticks(pid), ProcessCpu.ticks(brokerPid)};
            double read = flink.sum(jobId, source, "numRecordsIn").orElse(0.0);
            steady.add((now - start) / 1e9, read);
            if (first == 0 && read > 0) {
                first = now;
            }
            // The measured drain starts at the first poll past the warm-up (at once without one).
            if (measuredFrom == 0 && read > 0 && read >= warmupRecords) {
                measuredFrom = now;
                readAtMeasuredFrom = warmupRecords > 0 ? read : 0;
                cpuAtMeasuredFrom = cpu;
                if (profiler != null) {
                    profiler.start(ReportWriter.PROFILE_INTERVAL_MS);
                }
                if (warmupRecords > 0) {
                    System.out.printf("%s: warm-up of %d records read after %.1fs; measuring%n", name, warmupRecords,
                            (now - first) / 1e9);
                }
            }
            if (consumed == 0 && read >= records) {
                consumed = now;
                System.out.printf("%s: read %d records in %.1fs%n", name, records, (now - first) / 1e9);
            }
            double activity = read + flink.networkRecordsIn(jobId);
            if (activity != lastActivity) {
                lastActivity = activity;
                lastChange = now;
                cpuAtLastChange = cpu;
            } else if (consumed != 0 && now - lastChange > quiet.toNanos()) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        if (profiler != null) {
            profiler.stop(profileOut);
        }
        double consumedSeconds = (consumed - first) / 1e9;
        double drainedSeconds = (lastChange - first) / 1e9;
        double measuredSeconds = (lastChange - measuredFrom) / 1e9;
        // Records the measured CPU paid for: those read from the first poll past the warm-up on.
        long measuredRecords = Math.round(records - readAtMeasuredFrom);
        long drainedAtMillis = System.currentTimeMillis() - (System.nanoTime() - lastChange) / 1_000_000;
        Results.Checkpoints checkpoints = CheckpointStats.after(flink, jobId, drainedAtMillis,
                job.checkpoint().interval().multipliedBy(3).plusSeconds(30));
        int usedCores = cores > 0 ? cores : Runtime.getRuntime().availableProcessors();
        // Processed, not just read: with a small backlog the network buffers hold much of it when the source is done.
        Results.Throughput result = new Results.Throughput(name, records, consumedSeconds, records / drainedSeconds,
                drainedSeconds, usedCores, profiles(flink, jobId, vertices), checkpoints, ProcessMemory.peakRss(pid),
                steady.rate(window), cpu(cpuAtMeasuredFrom, cpuAtLastChange, measuredSeconds), warmupRecords,
                measuredRecords);
        Results.write(out, result);
        System.out.printf("%s: %,.0f events/s (steady %,.0f; %,.0f per core), drained after %.1fs, CPU s job %.1f "
                + "broker %.1f, %d profiles, state %,d bytes, peak RSS %,d MB%n", name, result.eventsPerSecond(),
                result.steadyEventsPerSecond(), result.perCore(), drainedSeconds, result.cpu().jobSeconds(),
                result.cpu().brokerSeconds(), result.profiles(), checkpoints.lastStateBytes(),
                result.peakRssBytes() >> 20);
        return 0;
    }

    private Results.Cpu cpu(long[] atFirst, long[] atEnd, double seconds) {
        return new Results.Cpu(cpuSeconds(atFirst[0], atEnd[0]), cpuSeconds(atFirst[1], atEnd[1]), seconds, clockTicks);
    }

    private double cpuSeconds(long from, long to) {
        return from < 0 || to < 0 ? -1 : (to - from) / (double) clockTicks;
    }

    /** The vertex that reads the input topic: its numRecordsIn counts the records read. */
    static String sourceVertex(FlinkRest flink, String jobId, String topic) throws Exception {
        for (JsonNode v : flink.get("/jobs/" + jobId).path("vertices")) {
            String vertexName = v.path("name").asText();
            if (vertexName.startsWith("Source:") && vertexName.contains(topic)) {
                return v.path("id").asText();
            }
        }
        throw new IllegalStateException("no source vertex reads " + topic);
    }

    private static long profiles(FlinkRest flink, String jobId, List<String> vertices) throws Exception {
        for (String v : vertices) {
            List<String> ids = new ArrayList<>(flink.metricIds(jobId, v, PROFILE_METRICS));
            if (!ids.isEmpty()) {
                double live = 0;
                for (String id : ids) {
                    Optional<Double> value = flink.sum(jobId, v, id);
                    live += id.endsWith("profilesCreated") ? value.orElse(0.0) : -value.orElse(0.0);
                }
                return Math.round(live);
            }
        }
        return 0;
    }
}
