package dev.streamingcdp.cli;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicRegistry;
import dev.streamingcdp.kafka.TopicRegistry.Role;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.watch.RoleFormats;
import dev.streamingcdp.watch.TopicWatcher;
import dev.streamingcdp.watch.WatchView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Show the job's output topics live: one line per record (throttled, identifiers masked) "
                + "and a summary per interval. Reads committed records only.")
public class WatchCommand implements Callable<Integer> {

    @Mixin
    JobOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--from-beginning", description = "Replay the topics from their start instead of showing "
            + "only new records.")
    boolean fromBeginning;

    @Option(names = "--interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "Time between summaries (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--lines-per-second", defaultValue = "5",
            description = "Record lines per role and second; the rest are summed up as (+N more) "
                    + "(default: ${DEFAULT-VALUE}).")
    int linesPerSecond;

    @Option(names = "--role", split = ",", paramLabel = "ROLE",
            description = "Roles to watch, e.g. DEAD_LETTER,ENRICHED (default: every role the watch can show).")
    List<Role> roles;

    @Option(names = "--max-seconds", defaultValue = "0",
            description = "Stop after this many seconds (0: until Ctrl-C).")
    long maxSeconds;

    @Option(names = "--max-records", defaultValue = "0", description = "Stop after this many records (0: no limit).")
    long maxRecords;

    private final PrintStream out;

    public WatchCommand() {
        this(System.out);
    }

    /** Tests pass their own stream to read what the terminal would show. */
    public WatchCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (maxSeconds < 0 || maxRecords < 0 || linesPerSecond < 1 || interval.isZero()) {
            throw new ParameterException(spec.commandLine(),
                    "--max-seconds and --max-records must be >= 0, --lines-per-second and --interval > 0");
        }
        JobDefinition job = options.load();
        Destinations destinations = Destinations.load(options.jobDir, SegmentCatalog.load(options.jobDir));
        Map<String, Role> topics = watchedTopics(job, destinations);
        if (topics.isEmpty()) {
            spec.commandLine().getErr().println("error: none of the job's topics has a watchable role");
            return 1;
        }
        CountDownLatch closed = new CountDownLatch(1);
        try (TopicWatcher watcher = new TopicWatcher(job.kafka(), topics.keySet())) {
            // Ctrl-C: wake the poll, then hold the JVM until the consumer is closed.
            Thread hook = new Thread(() -> {
                watcher.wakeup();
                awaitQuietly(closed);
            }, "cdp-watch-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return watch(watcher, topics, destinations);
            } catch (WakeupException e) {
                return 0; // Ctrl-C while looking up the topics
            } catch (TimeoutException e) {
                spec.commandLine().getErr().println("error: no answer from Kafka at " + job.kafka().bootstrapServers()
                        + ": " + e.getMessage());
                return 1;
            } finally {
                removeHook(hook);
            }
        } finally {
            closed.countDown();
        }
    }

    private int watch(TopicWatcher watcher, Map<String, Role> topics, Destinations destinations) {
        List<String> missing = watcher.assign(fromBeginning);
        if (!missing.isEmpty()) {
            spec.commandLine().getErr().println("error: topics missing: " + String.join(", ", missing)
                    + " (create them with `cdp topics`)");
            return 1;
        }
        out.printf("watching %s from the %s (committed records only; Ctrl-C stops)%n",
                String.join(", ", topics.keySet()), fromBeginning ? "beginning" : "end");
        WatchView view = new WatchView(out, topics, destinations, linesPerSecond, System.currentTimeMillis());
        watcher.run(view, new TopicWatcher.Limits(interval, maxRecords, Duration.ofSeconds(maxSeconds)));
        return 0;
    }

    /** Topic name to role, in registry order: the roles asked for, or else every role with a watch format. */
    private Map<String, Role> watchedTopics(JobDefinition job, Destinations destinations) {
        if (roles != null) {
            roles.stream().filter(r -> RoleFormats.of(r).isEmpty()).findFirst().ifPresent(r -> {
                throw new ParameterException(spec.commandLine(), "role " + r + " cannot be watched");
            });
        }
        Map<String, Role> topics = new LinkedHashMap<>();
        for (TopicRegistry.Topic t : TopicRegistry.topics(job, destinations)) {
            if (roles == null ? RoleFormats.of(t.role()).isPresent() : roles.contains(t.role())) {
                topics.put(t.name(), t.role());
            }
        }
        return topics;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running and waits for the close.
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
