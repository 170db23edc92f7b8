package dev.streamingcdp.cli;

import dev.streamingcdp.segment.SegmentCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "segments", mixinStandardHelpOptions = true,
        description = "Author segment definitions (jobs/<job>/segments/*.yaml).", subcommands = SegmentsCommand.Validate.class)
public class SegmentsCommand {

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check the segments and computed "
            + "traits of a job: every problem with file, line and field; exit code 1 when there is one.")
    static class Validate implements Callable<Integer> {

        // Only the job directory: validating needs no broker, so the shared JobOptions would offer a useless option.
        @Option(names = "--job", defaultValue = "jobs/retail-demo",
                description = "Job directory with segments/ and computed-traits.yaml (default: ${DEFAULT-VALUE}).")
        Path jobDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            SegmentCatalog.Validation v = SegmentCatalog.validate(jobDir);
            if (!v.errors().isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                v.errors().forEach(e -> err.println("error: " + e));
                err.printf("%d error%s%n", v.errors().size(), v.errors().size() == 1 ? "" : "s");
                return 1;
            }
            spec.commandLine().getOut().printf("ok: %d segments, %d computed traits%n",
                    v.catalog().segments().size(), v.catalog().computedTraits().size());
            return 0;
        }
    }
}
