package dev.streamingcdp.cli;

import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.Durations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.simulator.JobInput;
import dev.streamingcdp.simulator.SimulationOptions;
import dev.streamingcdp.simulator.SimulationRun;
import dev.streamingcdp.simulator.TrafficGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Send simulated customer journeys (web, app, e-mail, POS, CRM), with some malformed records "
                + "and duplicates, to the job's input topics. Same seed, start and options: same records.")
public class SimulateCommand implements Callable<Integer> {

    /** The event-time step when sending as fast as possible: as if at the default 200 events/s. */
    private static final Duration UNPACED_TIME_STEP = Duration.ofMillis(5);

    @Mixin
    JobOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "200",
            description = "Records per second; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--events", description = "Stop after this many records (default: until Ctrl-C).")
    Long events;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 60s or 10m (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--customers", defaultValue = "1000", description = "Population size (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--malformed-share", defaultValue = "0.02",
            description = "Share of malformed records (default: ${DEFAULT-VALUE}).")
    double malformedShare;

    @Option(names = "--duplicate-share", defaultValue = "0.01",
            description = "Share of exact re-sends of recent events (default: ${DEFAULT-VALUE}).")
    double duplicateShare;

    @Option(names = "--avro-share", defaultValue = "0.1",
            description = "Share of events sent to the Avro input topic, if the job has one "
                    + "(default: ${DEFAULT-VALUE}).")
    double avroShare;

    @Option(names = "--start", converter = InstantConverter.class,
            description = "Event time of the first record, e.g. 2025-06-01T09:00:00Z (default: now; with --rate 0 "
                    + "and --events, such that the last record is at now).")
    Instant start;

    @Override
    public Integer call() throws Exception {
        if (rate < 0 || (events != null && events < 0)) {
            throw new ParameterException(spec.commandLine(), "--rate and --events must not be negative");
        }
        JobDefinition job = options.load();
        JobInput input;
        try {
            input = JobInput.of(job);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(job.name() + ": " + e.getMessage());
        }
        TrafficGenerator generator;
        try {
            generator = new TrafficGenerator(simulationOptions(), input);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SimulationRun run = new SimulationRun(generator, input.topics(), new KafkaProducer<>(producerProperties(job)),
                new SimulationRun.Limits(rate, events == null ? Long.MAX_VALUE : events, duration),
                spec.commandLine().getOut());
        // Ctrl-C: let the run stop, close the producer and print its summary before the JVM exits. After a normal
        // end the hook finds the run finished and returns at once.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            run.stop();
            try {
                run.awaitFinished(Duration.ofSeconds(40));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-shutdown"));
        return run.run();
    }

    private SimulationOptions simulationOptions() {
        Duration step = rate > 0 ? Duration.ofNanos(Math.round(1e9 / rate)) : UNPACED_TIME_STEP;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Unpaced, event time runs ahead of the clock: a counted run then ends at now instead of starting there, so
        // its last events are not refused as too far ahead of their Kafka timestamps (ingest.maxTimestampAhead).
        Instant first = start != null ? start : rate == 0 && events != null ? now.minus(step.multipliedBy(events)) : now;
        return new SimulationOptions(seed, customers, malformedShare, duplicateShare, avroShare, first, step);
    }

    private static Properties producerProperties(JobDefinition job) {
        Properties props = new Properties();
        props.putAll(job.kafka().properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, job.kafka().bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "cdp-simulator");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Fail within seconds, not the default minute, when the broker or a topic is missing.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return Instant.parse(value);
        }
    }
}
