package dev.streamingcdp.bench;

import picocli.CommandLine.Command;

/** The benchmark's steps; bin/bench runs them in order around the broker and job processes it starts. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark steps (bin/bench runs them in order): prepare a job copy, preload input, run the "
                + "baseline or the full job, measure throughput or latency, write the report.",
        subcommands = {PrepareCommand.class, PreloadCommand.class, JobCommand.class, ThroughputCommand.class,
            LatencyCommand.class, ReportCommand.class, BackfillBenchCommand.class})
public final class BenchCommand {}
