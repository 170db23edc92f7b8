package dev.streamingcdp.cli;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.segment.SegmentCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "segments", mixinStandardHelpOptions = true,
        description = "Author segment definitions (jobs/<job>/segments/*.yaml) and change them while the job runs.",
        subcommands = {SegmentsCommand.Validate.class, SegmentsCommand.Push.class, SegmentsCommand.Delete.class})
public class SegmentsCommand {

    /** Exit code for definitions that do not pass the loader (as for a bad job definition). */
    static final int BAD_DEFINITION = 2;
    /** Exit code when Kafka could not take the change. */
    static final int NOT_WRITTEN = 1;

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check the segments and computed "
            + "traits of a job, and that destinations.yaml has every destination they name: every problem with file, "
            + "line and field; exit code 1 when there is one.")
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
                printErrors(spec, v.errors());
                return 1;
            }
            try {
                Destinations.load(jobDir, v.catalog()); // the job does not start with a segment feeding nowhere
            } catch (ConfigException e) {
                printErrors(spec, List.of(e.getMessage()));
                return 1;
            }
            spec.commandLine().getOut().printf("ok: %d segments, %d computed traits%n",
                    v.catalog().segments().size(), v.catalog().computedTraits().size());
            return 0;
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true, description = {
        "Add or change segments while the job runs: checks the files as `validate` does (against the job's computed "
                + "traits and destinations), then writes each as JSON to the job's segment control topic, keyed by "
                + "its id.",
        "A changed definition needs a higher version; the job backfills a new segment and re-evaluates a changed one "
                + "for every profile. What the job rejects goes to its dead-letter topic (reason bad_segment).",
        "Exit code 2 when a file has a problem (then nothing is written), 1 when Kafka did not take a write."})
    static class Push implements Callable<Integer> {

        @Mixin
        JobOptions options;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Segment definitions: YAML, or JSON (*.json).")
        List<Path> files;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            JobDefinition job = options.load();
            SegmentCatalog catalog = SegmentCatalog.load(options.jobDir);
            Set<String> destinations = Destinations.load(options.jobDir, catalog).destinations().stream()
                    .map(Destinations.Destination::name).collect(Collectors.toSet());
            List<SegmentDocument> documents = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            Map<String, Path> seen = new HashMap<>();
            for (Path file : files) {
                try {
                    SegmentDocument doc = SegmentDocument.read(file, catalog, destinations);
                    Path first = seen.putIfAbsent(doc.definition().id(), file);
                    if (first != null) {
                        errors.add(file + ": segment '" + doc.definition().id() + "' is also in " + first
                                + "; push one definition per segment");
                    } else {
                        documents.add(doc);
                    }
                } catch (ConfigException e) {
                    errors.add(e.getMessage());
                }
            }
            if (!errors.isEmpty()) {
                printErrors(spec, errors);
                return BAD_DEFINITION;
            }
            try (ControlTopicWriter writer = ControlTopicWriter.open(job)) {
                for (SegmentDocument doc : documents) {
                    writer.put(doc.definition().id(), doc.json());
                    spec.commandLine().getOut().printf("pushed %s v%d%n", doc.definition().id(),
                            doc.definition().version());
                }
            } catch (ControlTopicWriter.Failure e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return NOT_WRITTEN;
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {
        "Delete segments while the job runs: writes a tombstone for each id to the job's segment control topic. "
                + "Members exit (reason segment_deleted); an id the job does not run goes to its dead-letter topic.",
        "Exit code 2 for a malformed id (then nothing is written), 1 when Kafka did not take a write."})
    static class Delete implements Callable<Integer> {

        // The loader's rule for ids: catches a file name given instead of an id before anything is written.
        private static final Pattern SEGMENT_ID = Pattern.compile("[a-z0-9-]+");

        @Mixin
        JobOptions options;

        @Parameters(arity = "1..*", paramLabel = "ID", description = "Segment ids, e.g. retention-offer.")
        List<String> ids;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            JobDefinition job = options.load();
            List<String> errors = ids.stream().filter(id -> !SEGMENT_ID.matcher(id).matches())
                    .map(id -> "'" + id + "' is not a segment id (lower-case letters, digits and '-')").toList();
            if (!errors.isEmpty()) {
                printErrors(spec, errors);
                return BAD_DEFINITION;
            }
            try (ControlTopicWriter writer = ControlTopicWriter.open(job)) {
                for (String id : ids) {
                    writer.delete(id);
                    spec.commandLine().getOut().printf("deleted %s%n", id);
                }
            } catch (ControlTopicWriter.Failure e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return NOT_WRITTEN;
            }
            return 0;
        }
    }

    private static void printErrors(CommandSpec spec, List<String> errors) {
        PrintWriter err = spec.commandLine().getErr();
        errors.forEach(e -> err.println("error: " + e));
        err.printf("%d error%s%n", errors.size(), errors.size() == 1 ? "" : "s");
    }
}
