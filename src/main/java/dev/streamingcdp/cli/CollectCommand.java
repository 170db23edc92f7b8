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
import picocli.CommandLine.Option;

@Command(name = "collect", description = "Run the Segment-compatible HTTP collector: analytics.js, analytics-node and "
        + "the other Segment SDKs send to it; it writes their events to the job's JSON input topic.")
public class CollectCommand implements Callable<Integer> {

    @Mixin
    JobOptions options;

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

    @Override
    public Integer call() throws Exception {
        JobDefinition job = options.load();
        Sources sources = Sources.load(options.jobDir, System::getenv);
        CollectorMetrics metrics = new CollectorMetrics();
        CollectorServer server = new CollectorServer(
                new CollectorServer.Settings(bind, port, ackTimeout, maxInFlight, drainTimeout),
                sources, new EventWriter(job, metrics), metrics).start();
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
