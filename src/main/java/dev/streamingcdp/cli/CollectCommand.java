package dev.streamingcdp.cli;

import dev.streamingcdp.collect.CollectorMetrics;
import dev.streamingcdp.collect.CollectorServer;
import dev.streamingcdp.collect.EventWriter;
import dev.streamingcdp.collect.Sources;
import dev.streamingcdp.config.JobDefinition;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "collect", description = "Run the Segment-compatible HTTP collector: analytics.js, analytics-node and "
        + "the other Segment SDKs send to it; it writes their events to the job's JSON input topic.")
public class CollectCommand implements Callable<Integer> {

    @Mixin
    JobOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8088", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 only behind a proxy).")
    String bind;

    @Option(names = "--ack-timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long a request waits for Kafka's acknowledgement before it gets 503 "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration ackTimeout;

    @Option(names = "--max-in-flight-events", defaultValue = "100000",
            description = "Events waiting for Kafka at most; past it requests get 429 (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--drain-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "On SIGTERM, how long requests in flight may take to finish (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--linger", defaultValue = "1ms", converter = DurationConverter.class,
            description = "Kafka producer linger: how long an event may wait for others to share a request to the "
                    + "broker (default: ${DEFAULT-VALUE}; more batches better under heavy load, adds latency below it).")
    Duration linger;

    @Option(names = "--batch-size", defaultValue = "262144",
            description = "Kafka producer batch size in bytes per partition (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        EventWriter.Tuning tuning;
        try {
            tuning = new EventWriter.Tuning(linger, batchSize, ackTimeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--linger/--batch-size: " + e.getMessage());
        }
        JobDefinition job = options.load();
        Sources sources = Sources.load(options.jobDir, System::getenv);
        CollectorMetrics metrics = new CollectorMetrics();
        CollectorServer server = new CollectorServer(
                new CollectorServer.Settings(bind, port, ackTimeout, maxInFlight, drainTimeout),
                sources, new EventWriter(job, metrics, tuning), metrics).start();
        System.out.println("collector: http://" + bind + ":" + server.port() + " (Ctrl-C or SIGTERM to stop)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "collector-shutdown"));
        stopped.await();
        return 0;
    }
}
