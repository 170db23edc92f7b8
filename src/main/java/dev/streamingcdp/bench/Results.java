package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What each phase measured, written as JSON between the steps and read back by the report. */
public final class Results {

    // Derived figures (perCore) are written for readers of the JSON and ignored when read back.
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Results() {}

    /** Latency figures in milliseconds; {@code missing} were sent but never seen within the wait. */
    public record Summary(int count, int missing, long p50, long p99, long max) {}

    public record VertexState(String vertex, long stateBytes) {}

    public record Checkpoints(int completed, long lastStateBytes, long lastIncrementalBytes, long durationAvgMs,
            long durationP99Ms, long durationMaxMs, List<VertexState> byVertex) {}

    /**
     * One job draining a preloaded backlog.
     *
     * @param consumedSeconds from the first record read until the source had read every input record
     * @param eventsPerSecond records / drainedSeconds: the rate at which the job processed the backlog
     * @param drainedSeconds  until no operator saw a record any more (the feedback loop's last passes included)
     * @param profiles        live profiles at the end (created - merged - removed); 0 for the baseline
     * @param steadyEventsPerSecond the source's read rate between 25 % and 90 % of the backlog (past warm-up)
     * @param cpu             CPU the job and the broker used during the measured drain (past the warm-up)
     * @param warmupRecords   the first records of the backlog, a warm-up the steady rate, CPU and profile leave out
     * @param measuredRecords records the measured drain's CPU is divided by (read from the first poll past the
     *                        warm-up on; all records without a warm-up)
     */
    public record Throughput(String name, long records, double consumedSeconds, double eventsPerSecond,
            double drainedSeconds, int cores, long profiles, Checkpoints checkpoints, long peakRssBytes,
            double steadyEventsPerSecond, Cpu cpu, long warmupRecords, long measuredRecords) {

        /** A drain without a warm-up (and results written before there was one). */
        public Throughput(String name, long records, double consumedSeconds, double eventsPerSecond,
                double drainedSeconds, int cores, long profiles, Checkpoints checkpoints, long peakRssBytes,
                double steadyEventsPerSecond, Cpu cpu) {
            this(name, records, consumedSeconds, eventsPerSecond, drainedSeconds, cores, profiles, checkpoints,
                    peakRssBytes, steadyEventsPerSecond, cpu, 0, records);
        }

        /** The events the CPU figures are per: results from before warm-ups have no measuredRecords. */
        public long cpuRecords() {
            return measuredRecords > 0 ? measuredRecords : records;
        }

        /** Job JVM CPU-ms per 1,000 events of the measured drain. */
        public double jobCpuMsPer1000() {
            return cpu.msPer1000(cpu.jobSeconds(), cpuRecords());
        }

        /** Broker JVM CPU-ms per 1,000 events of the measured drain. */
        public double brokerCpuMsPer1000() {
            return cpu.msPer1000(cpu.brokerSeconds(), cpuRecords());
        }

        public double perCore() {
            return eventsPerSecond / cores;
        }

        public double steadyPerCore() {
            return steadyEventsPerSecond / cores;
        }
    }

    /**
     * CPU seconds (utime + stime) of each process over {@code wallSeconds}, from the first poll past the warm-up (the
     * first record read without one) until the job had processed the last; negative when a process could not be read.
     */
    public record Cpu(double jobSeconds, double brokerSeconds, double wallSeconds, long clockTicksPerSecond) {

        /** CPU milliseconds per 1,000 events. */
        public double msPer1000(double cpuSeconds, long events) {
            return cpuSeconds * 1e6 / events;
        }

        /** Share of the machine's cores the process kept busy. */
        public double coreShare(double cpuSeconds, int cores) {
            return cpuSeconds / (wallSeconds * cores);
        }
    }

    /**
     * One fixed-rate phase: event-to-activation and merge latencies, by Kafka timestamp and as a consumer saw them.
     *
     * @param sentRate  records per second while measuring (after the warm-up)
     * @param sent      records sent in all, warm-up included; {@code read} of them the job's source had read when
     *                  sending stopped
     * @param keptUp    the job was behind by less than {@link LatencyCommand#KEPT_UP_SECONDS} of traffic then
     * @param busyAfterSeconds how long after sending stopped operators still received records; -1: still busy at the
     *                  end of the wait
     */
    public record Latency(String delivery, double targetRate, double sentRate, double seconds,
            long checkpointIntervalMs, Summary activation, Summary activationVisible, Summary merge,
            Summary mergeVisible, double warmupSeconds, long sent, long read, boolean keptUp,
            double busyAfterSeconds) {}

    public static void write(Path file, Object result) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), result);
    }

    public static <T> T read(Path file, Class<T> type) throws IOException {
        return JSON.readValue(file.toFile(), type);
    }
}
