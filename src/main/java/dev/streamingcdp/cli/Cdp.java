package dev.streamingcdp.cli;

import dev.streamingcdp.config.ConfigException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: run the job, create topics, simulate traffic, watch the output, validate segments. */
@Command(name = "cdp", mixinStandardHelpOptions = true, version = "streaming-cdp 0.1.0 (Flink 2.2.1, Kafka 4.2.0)",
        description = "streaming-cdp: a real-time Customer Data Platform on Apache Flink.",
        subcommands = {RunCommand.class, TopicsCommand.class, SimulateCommand.class, WatchCommand.class,
            SegmentsCommand.class, dev.streamingcdp.bench.BenchCommand.class,
            dev.streamingcdp.store.ServeCommand.class, dev.streamingcdp.store.StoreCommand.class, CollectCommand.class})
public final class Cdp {

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        // Submitted to a cluster (REST API or `flink run`), main runs inside the JobManager or the Flink client:
        // System.exit would take that process down with it, so there a failure is thrown instead.
        if (!StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()) {
            if (code != 0) {
                throw new IllegalStateException("cdp " + String.join(" ", args) + " failed with exit code " + code
                        + "; its error went to standard error (the JobManager's .out file)");
            }
            return;
        }
        System.exit(code);
    }

    /** The whole command tree, every command of it answering --help (and --version). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cdp());
        withHelp(cli);
        // A bad job definition is an operator's mistake, not a crash: one line, no stack trace.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    /** Added here rather than on each @Command so that a new command cannot forget it. */
    private static void withHelp(CommandLine command) {
        if (!command.getCommandSpec().mixinStandardHelpOptions()) {
            command.getCommandSpec().mixinStandardHelpOptions(true);
        }
        command.getSubcommands().values().forEach(Cdp::withHelp);
    }
}
