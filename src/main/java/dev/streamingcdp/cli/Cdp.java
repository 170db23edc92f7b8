package dev.streamingcdp.cli;

import dev.streamingcdp.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: run the job, create topics, simulate traffic, watch the output, validate segments. */
@Command(name = "cdp", mixinStandardHelpOptions = true, version = "streaming-cdp 0.1.0 (Flink 2.2.1, Kafka 4.2.0)",
        description = "streaming-cdp: a real-time Customer Data Platform on Apache Flink.",
        subcommands = {RunCommand.class, TopicsCommand.class, SimulateCommand.class, WatchCommand.class,
            SegmentsCommand.class, dev.streamingcdp.bench.BenchCommand.class})
public final class Cdp {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Cdp());
        // A bad job definition is an operator's mistake, not a crash: one line, no stack trace.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
