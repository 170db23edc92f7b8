package dev.streamingcdp.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The simulated traffic, one record at a time: mostly valid events from customer journeys, with the configured
 * shares of malformed records and of exact re-sends. It needs no Kafka, so tests can compare what was sent with what
 * the job did. The same options and job input always give the same records, byte for byte.
 */
public final class TrafficGenerator {

    /** Re-sends pick from this many recent valid records, as a client retrying a request it thinks failed. */
    private static final int RECENT = 64;

    private final SimulationOptions options;
    private final JobInput input;
    private final Random random;
    private final SimClock clock;
    private final JourneyGenerator journeys;
    private final Malformer malformer;
    private final List<SimulatedRecord> recent = new ArrayList<>(RECENT);
    private long valid;

    public TrafficGenerator(SimulationOptions options, JobInput input) {
        this.options = options;
        this.input = input;
        // Another stream than the population's, so that traffic options do not change who the customers are.
        this.random = new Random(~options.seed());
        this.clock = new SimClock(options.start(), options.timeStep());
        Population population = Population.generate(options.seed(), options.customers());
        EventFactory events = new EventFactory(random, clock, input.defaultPhoneRegion());
        this.journeys = new JourneyGenerator(random, population, new Journeys(random, events));
        this.malformer = new Malformer(random, events, population, input, options.avroShare());
    }

    public SimulatedRecord next() {
        double roll = random.nextDouble();
        SimulatedRecord record;
        if (roll < options.malformedShare()) {
            record = malformer.next();
        } else if (roll < options.malformedShare() + options.duplicateShare() && !recent.isEmpty()) {
            record = resend(recent.get(random.nextInt(recent.size())));
        } else {
            record = validEvent();
        }
        clock.advance();
        return record;
    }

    private SimulatedRecord validEvent() {
        JourneyGenerator.Step step = journeys.next();
        ObjectNode e = step.event();
        Format format = input.pick(random, options.avroShare());
        byte[] value = format == Format.AVRO ? EventEncoder.avro(e) : EventEncoder.json(e);
        SimulatedRecord record = new SimulatedRecord(input.topic(format), format, step.customer().userId(), value,
                RecordKind.valid(e.get("type").asText()), e.get("messageId").asText());
        int slot = (int) (valid++ % RECENT);
        if (slot < recent.size()) {
            recent.set(slot, record);
        } else {
            recent.add(record);
        }
        return record;
    }

    private static SimulatedRecord resend(SimulatedRecord original) {
        return new SimulatedRecord(original.topic(), original.format(), original.key(), original.value().clone(),
                RecordKind.duplicate(original.kind().eventType()), original.messageId());
    }
}
