package dev.streamingcdp.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes the benchmark's Markdown report and SVG charts from the phases' results. */
public final class ReportWriter {

    /** Where and how the run happened, printed at the top of every report. */
    public record Run(String command, String machine, String load) {}

    public static final double MIN_THROUGHPUT_RATIO = 0.5;
    public static final long AT_LEAST_ONCE_P99_MS = 100;
    public static final long EXACTLY_ONCE_SLACK_MS = 100;
    public static final long MAX_STATE_PER_PROFILE = 1024;
    /** The other reports in the benchmark's folder, named at the top of each. */
    static final String COMPANIONS = "The reports in this folder: `REPORT.md` (`bin/bench`), `SCALE.md` (`bin/bench --scale`), "
            + "`ANALYSIS.md` (why targets are missed, the latency investigation; written from the figures), "
            + "`RELIABILITY.md` (the fault and fuzz runs' figures: `bin/fault-test`, `bin/fuzz`, both also in `mvn verify`).";
    /** The operator chain that starts with de-duplication (its name in IngestStage). */
    static final String DEDUP_VERTEX = "ingest: de-duplicate";
    /** async-profiler's itimer interval in bin/bench: each sample stands for this much CPU. */
    static final int PROFILE_INTERVAL_MS = 5;

    private ReportWriter() {}

    public static List<Target> targets(Results.Throughput baseline, Results.Throughput full,
            List<Results.Latency> latencies) {
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("full / baseline throughput (steady rates)",
                full.steadyEventsPerSecond() / baseline.steadyEventsPerSecond(), MIN_THROUGHPUT_RATIO, "x", false));
        for (Results.Latency l : latencies) {
            boolean exactlyOnce = l.delivery().equals("EXACTLY_ONCE");
            long limit = exactlyOnce ? l.checkpointIntervalMs() + EXACTLY_ONCE_SLACK_MS : AT_LEAST_ONCE_P99_MS;
            targets.add(new Target("p99 event-to-activation, " + l.delivery() + " (as seen by a read_committed "
                    + "consumer)", l.activationVisible().p99(), limit, "ms", true));
        }
        targets.add(new Target("state per profile (profile-keyed state: identity, profile, segments, activation)",
                perProfile(full, full.checkpoints().lastStateBytes() - dedupBytes(full)), MAX_STATE_PER_PROFILE,
                "bytes", true));
        targets.add(new Target("all state per profile, with the de-duplication ids of the horizon",
                statePerProfile(full), MAX_STATE_PER_PROFILE, "bytes", true));
        return targets;
    }

    static double statePerProfile(Results.Throughput t) {
        return perProfile(t, t.checkpoints().lastStateBytes());
    }

    private static double perProfile(Results.Throughput t, long bytes) {
        return t.profiles() > 0 ? bytes / (double) t.profiles() : Double.NaN;
    }

    /** The de-duplication operator's state: one entry per message id of the horizon, whatever the profiles. */
    private static long dedupBytes(Results.Throughput t) {
        return t.checkpoints().byVertex().stream().filter(v -> v.vertex().startsWith(DEDUP_VERTEX))
                .mapToLong(Results.VertexState::stateBytes).sum();
    }

    public static String report(Run run, Results.Throughput baseline, Results.Throughput full,
            List<Results.Latency> latencies, HotPath.Profile profile) {
        StringBuilder md = new StringBuilder("# Benchmark: full job against a bare Flink baseline\n\n");
        header(md, run);
        md.append("## Targets\n\n| target | measured | limit | verdict |\n|---|---|---|---|\n");
        for (Target t : targets(baseline, full, latencies)) {
            md.append(String.format(Locale.ROOT, "| %s | %s %s | %s %s | %s |%n", t.name(),
                    SvgBarChart.number(Math.rint(t.value() * 100) / 100), t.unit(), SvgBarChart.number(t.limit()),
                    t.unit(), t.verdict()));
        }
        md.append("\n## Throughput\n\n");
        throughput(md, baseline, full);
        md.append("\n![throughput](throughput.svg)\n\n");
        latency(md, latencies);
        state(md, full);
        hotPath(md, profile);
        return md.toString();
    }

    public static String scaleReport(Run run, List<Results.Throughput> steps) {
        StringBuilder md = new StringBuilder("# Benchmark: how cost grows with the number of profiles\n\n");
        header(md, run);
        md.append("Each step: a fresh broker, the backlog (two records per customer) preloaded, the full job drains it. "
                + "*Whole run*: records / time to drain; *steady*: the source's read rate between 25 % and 90 % of the "
                + "backlog; *CPU per 1,000 events*: the job JVM's and the broker's CPU seconds over the drain.\n\n");
        md.append("| step | records | live profiles | whole run (events/s) | steady (events/s) | job / broker CPU-ms per"
                + " 1,000 events | checkpoint state (bytes) | bytes per profile | checkpoint avg / max (ms) |"
                + " peak RSS (MB) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.Throughput t : steps) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %,.0f | %,.0f / %,.0f | %,d | %,.0f | "
                    + "%,d / %,d | %,d |%n", t.name(), t.records(), t.profiles(), t.eventsPerSecond(),
                    t.steadyEventsPerSecond(), t.jobCpuMsPer1000(), t.brokerCpuMsPer1000(), t.checkpoints().lastStateBytes(),
                    statePerProfile(t), t.checkpoints().durationAvgMs(), t.checkpoints().durationMaxMs(),
                    t.peakRssBytes() >> 20));
        }
        md.append("\n![scale](scale.svg)\n");
        return md.toString();
    }

    public static String throughputChart(Results.Throughput baseline, Results.Throughput full) {
        return SvgBarChart.render("Throughput: full job vs bare baseline", List.of(
                new SvgBarChart.Panel("steady rate (past the warm-up)", "events/s", List.of(
                        new SvgBarChart.Bar("baseline", Math.rint(baseline.steadyEventsPerSecond())),
                        new SvgBarChart.Bar("full job", Math.rint(full.steadyEventsPerSecond()))),
                        Math.rint(baseline.steadyEventsPerSecond() * MIN_THROUGHPUT_RATIO)),
                new SvgBarChart.Panel("peak RSS of the job JVM", "MB", List.of(
                        new SvgBarChart.Bar("baseline", baseline.peakRssBytes() >> 20),
                        new SvgBarChart.Bar("full job", full.peakRssBytes() >> 20)), Double.NaN)));
    }

    public static String latencyChart(List<Results.Latency> latencies) {
        List<SvgBarChart.Panel> panels = new ArrayList<>();
        for (Results.Latency l : latencies) {
            boolean exactlyOnce = l.delivery().equals("EXACTLY_ONCE");
            panels.add(new SvgBarChart.Panel("event to activation, " + l.delivery(), "ms, as consumed", List.of(
                    new SvgBarChart.Bar("p50", l.activationVisible().p50()),
                    new SvgBarChart.Bar("p99", l.activationVisible().p99()),
                    new SvgBarChart.Bar("max", l.activationVisible().max())),
                    exactlyOnce ? l.checkpointIntervalMs() + EXACTLY_ONCE_SLACK_MS : AT_LEAST_ONCE_P99_MS));
            panels.add(new SvgBarChart.Panel("merge, " + l.delivery(), "ms, as consumed", List.of(
                    new SvgBarChart.Bar("p50", l.mergeVisible().p50()),
                    new SvgBarChart.Bar("p99", l.mergeVisible().p99()),
                    new SvgBarChart.Bar("max", l.mergeVisible().max())), Double.NaN));
        }
        return SvgBarChart.render("Latency at half the steady rate, after warm-up", panels);
    }

    public static String scaleChart(List<Results.Throughput> steps) {
        return SvgBarChart.render("Cost as profiles grow", List.of(
                new SvgBarChart.Panel("steady rate", "events/s", steps.stream().map(t ->
                        new SvgBarChart.Bar(profilesLabel(t), Math.rint(t.steadyEventsPerSecond()))).toList(),
                        Double.NaN),
                new SvgBarChart.Panel("checkpoint state per profile", "bytes", steps.stream().map(t ->
                        new SvgBarChart.Bar(profilesLabel(t), Math.rint(statePerProfile(t)))).toList(),
                        MAX_STATE_PER_PROFILE),
                new SvgBarChart.Panel("checkpoint duration, max", "ms", steps.stream().map(t ->
                        new SvgBarChart.Bar(profilesLabel(t), t.checkpoints().durationMaxMs())).toList(),
                        Double.NaN)));
    }

    private static String profilesLabel(Results.Throughput t) {
        return String.format(Locale.ROOT, "%,d profiles", t.profiles());
    }

    static void header(StringBuilder md, Run run) {
        md.append("Made with:\n\n```bash\n").append(run.command()).append("\n```\n\n")
                .append("Machine: ").append(run.machine()).append("  \nLoad: ").append(run.load()).append("\n\n")
                .append(COMPANIONS).append("\n\n");
    }

    /** The two drains (table and CPU): shared with the throughput-only report. */
    static void throughput(StringBuilder md, Results.Throughput baseline, Results.Throughput full) {
        md.append(String.format(Locale.ROOT, "Each job drains the same preloaded backlog (same input, parallelism, "
                + "delivery guarantee and checkpoint interval): first %,d records of warm-up (JIT compilation, caches), "
                + "then the measured ones. *Whole run* is records / *processed in*: from its first record read until "
                + "no operator received records any more (with EXACTLY_ONCE the identity feedback loop's last passes "
                + "wait for checkpoints), so it includes the warm-up; *read in* is until its source had read every "
                + "record. *Steady* is the source's read rate from the end of the warm-up (without one: from 25 %% of "
                + "the records) until it had read 90 %% of the measured records (interpolated between polls): the rate "
                + "the throughput target is judged on. Metrics are polled over REST every 0.5 s (refreshed every 1 s), "
                + "so times are good to about a second.%n%n", full.warmupRecords()));
        md.append("| job | records | whole run (events/s) | steady (events/s) | steady per core | read in (s) |"
                + " processed in (s) | peak RSS (MB) | checkpoint avg / p99 / max (ms) | last checkpoint state (bytes) |"
                + "\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.Throughput t : List.of(baseline, full)) {
            throughputRow(md, t);
        }
        cpu(md, List.of(baseline, full));
    }

    static void throughputRow(StringBuilder md, Results.Throughput t) {
        Results.Checkpoints c = t.checkpoints();
        md.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f | %,.0f | %.1f | %.1f | %,d | %,d / %,d / %,d "
                + "| %,d |%n", t.name(), t.records(), t.eventsPerSecond(), t.steadyEventsPerSecond(), t.steadyPerCore(),
                t.consumedSeconds(), t.drainedSeconds(),
                t.peakRssBytes() >> 20, c.durationAvgMs(), c.durationP99Ms(), c.durationMaxMs(), c.lastStateBytes()));
    }

    static void cpu(StringBuilder md, List<Results.Throughput> phases) {
        if (phases.stream().anyMatch(t -> t.cpu() == null)) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%nCPU by process over the measured drain (from the first poll past the "
                + "warm-up, or the first record read without one, until processed; per 1,000 of the records read in it; "
                + "utime + stime from /proc/PID/stat at %d clock ticks per second, polled with the metrics). *Share "
                + "of cores*: CPU seconds / (span x %d cores). The broker's share is the price of the records the job "
                + "writes: the full job writes several per input (enriched event, profile snapshot, identity "
                + "feedback, segment changes, activations), the baseline one.%n%n| job | span (s) | job JVM CPU (s) |"
                + " job CPU-ms per 1,000 events | job share of cores | broker CPU (s) | broker CPU-ms per 1,000 "
                + "events | broker share of cores |%n|---|---|---|---|---|---|---|---|%n",
                phases.get(0).cpu().clockTicksPerSecond(), phases.get(0).cores()));
        for (Results.Throughput t : phases) {
            Results.Cpu c = t.cpu();
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s |%n", t.name(), c.wallSeconds(),
                    cpuCells(c, c.jobSeconds(), t), cpuCells(c, c.brokerSeconds(), t)));
        }
    }

    private static String cpuCells(Results.Cpu c, double seconds, Results.Throughput t) {
        return seconds < 0 ? "n/a | n/a | n/a" : String.format(Locale.ROOT, "%.1f | %,.0f | %.0f %%", seconds,
                c.msPer1000(seconds, t.cpuRecords()), 100 * c.coreShare(seconds, t.cores()));
    }

    private static void latency(StringBuilder md, List<Results.Latency> latencies) {
        md.append("## Latency at a load the job sustains\n\nThe full job runs with each delivery guarantee while the "
                + "simulator's traffic is sent at half the full job's steady rate above: first for a warm-up (JIT "
                + "compilation, caches) that is not measured, then with probes for the measured span. *Activation*: a "
                + "probe event (1 % of the records) makes a new profile enter a segment that feeds a destination; "
                + "measured from just before the probe is sent to the activation record's Kafka timestamp (written) "
                + "and to the moment a read_committed consumer received it (visible; for EXACTLY_ONCE that includes "
                + "the checkpoint that commits it). *Merge*: an identify links a known anonymous cookie to a new user "
                + "id; measured to the absorbed profile's `profile.merged` record on the profile topic. *Kept up*: "
                + "when sending stopped, the job's source was behind by less than "
                + String.format(Locale.ROOT, "%.0f", LatencyCommand.KEPT_UP_SECONDS) + " s of traffic (records sent "
                + "minus read; the read count from the REST metrics, taken about 1 s after sending stopped); if not, "
                + "the latencies include queueing in the input topic. *Busy after*: seconds from the end of sending "
                + "until no operator received records any more (good to a second or two): records that queued inside "
                + "the job, between operators or in the identity feedback topic (which, with EXACTLY_ONCE, the job "
                + "reads only once a checkpoint commits it). *Checkpoints*: the interval of the phase. With "
                + "AT_LEAST_ONCE output is visible at once and checkpoints only bound what is replayed after a "
                + "failure, so that phase runs with a longer interval (`bin/bench --alo-checkpoint-interval`): each "
                + "checkpoint pauses every stateful operator for its synchronous snapshot (RocksDB flush, Kafka "
                + "producer flush), and the records right behind a barrier meet those pauses one after another. "
                + "Latencies in ms.\n\n");
        md.append("| delivery | checkpoints (s) | warm-up + measured (s) | rate (sent/s) | kept up | busy after (s) |"
                + " activation p50 / p99 / max, written | visible | merge p50 / p99 / max, written | visible |"
                + " samples (missing) |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.Latency l : latencies) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f + %.0f | %,.0f | %s | %s | %s | %s | %s | %s | "
                    + "%d (%d) activations, %d (%d) merges |%n", l.delivery(), l.checkpointIntervalMs() / 1000.0,
                    l.warmupSeconds(), l.seconds(), l.sentRate(),
                    keptUp(l), l.busyAfterSeconds() < 0 ? "still busy at the end" : String.format(Locale.ROOT, "%.1f",
                    l.busyAfterSeconds()), triple(l.activation()), triple(l.activationVisible()), triple(l.merge()),
                    triple(l.mergeVisible()), l.activation().count(), l.activation().missing(), l.merge().count(),
                    l.merge().missing()));
        }
        for (Results.Latency l : latencies) {
            if (!l.keptUp()) {
                md.append(String.format(Locale.ROOT, "%n**%s: the job did not keep up** (%,d of %,d records read "
                        + "when sending stopped): its latencies above include queueing, not only the pipeline.%n",
                        l.delivery(), l.read(), l.sent()));
            }
        }
        md.append("\n![latency](latency.svg)\n\n");
    }

    private static String keptUp(Results.Latency l) {
        return l.keptUp() ? "yes" : String.format(Locale.ROOT, "no (%,d behind)", l.sent() - l.read());
    }

    private static String triple(Results.Summary s) {
        return s.count() == 0 ? "n/a" : String.format(Locale.ROOT, "%,d / %,d / %,d", s.p50(), s.p99(), s.max());
    }

    private static void state(StringBuilder md, Results.Throughput full) {
        md.append(String.format(Locale.ROOT, "## State\n\n%,d live profiles after the throughput phase; the "
                        + "checkpoint after it held %,d bytes of state in all (%,.0f bytes per profile; incremental "
                        + "part %,d bytes). The de-duplication operator keeps one entry per message id of its horizon "
                        + "(ingest.dedupHorizon, 24 h), so its share grows with the events a profile has in a day, not "
                        + "with profiles: %,d bytes for %,d records here (%,.0f bytes per id); the rest, keyed by "
                        + "identifier or profile, is %,.0f bytes per profile. By operator chain:%n%n"
                        + "| operator chain | state (bytes) |%n|---|---|%n",
                full.profiles(), full.checkpoints().lastStateBytes(), statePerProfile(full),
                full.checkpoints().lastIncrementalBytes(), dedupBytes(full), full.records(),
                dedupBytes(full) / (double) full.records(),
                perProfile(full, full.checkpoints().lastStateBytes() - dedupBytes(full))));
        for (Results.VertexState v : full.checkpoints().byVertex()) {
            if (v.stateBytes() > 0) {
                md.append(String.format(Locale.ROOT, "| %s | %,d |%n", v.vertex(), v.stateBytes()));
            }
        }
        md.append('\n');
    }

    static void hotPath(StringBuilder md, HotPath.Profile profile) {
        if (profile == null) {
            return;
        }
        md.append(String.format(Locale.ROOT, "## Where the time goes%n%nasync-profiler in the full job's JVM during "
                + "its throughput phase: CPU samples (itimer, one per %d ms of CPU a thread used, Java and native "
                + "frames) over the measured drain only (started past the warm-up, stopped after the idle wait that "
                + "ends the drain). %,d samples, about %,.0f CPU seconds. The broker's CPU is "
                + "not in it (see the CPU table above).%n%n", PROFILE_INTERVAL_MS, profile.samples(),
                profile.samples() * PROFILE_INTERVAL_MS / 1000.0));
        hotTable(md, "By thread (Flink task threads by operator chain, subtasks together; share of all samples)",
                "threads", profile.threadGroups());
        hotTable(md, String.format(Locale.ROOT, "Task threads by the innermost library on the stack (share of the "
                + "task threads' %,d samples)", profile.taskSamples()), "library", profile.taskLibraries());
        hotTable(md, "Task threads by the nearest project method on the stack (which of our steps the time serves; "
                + "share of the task threads' samples)", "method", profile.ownCode());
        hotTable(md, "Task threads by the frame on CPU (Java and native; share of the task threads' samples)", "frame",
                profile.selfFrames());
    }

    private static void hotTable(StringBuilder md, String title, String what, List<HotPath.Hot> rows) {
        md.append("**").append(title).append("**\n\n| ").append(what).append(" | samples | share |\n|---|---|---|\n");
        for (HotPath.Hot h : rows) {
            md.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f %% |%n", h.name().replace("|", "\\|"),
                    h.samples(), 100 * h.share()));
        }
        md.append('\n');
    }
}
