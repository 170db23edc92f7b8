package dev.streamingcdp.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.simulator.JobInput;
import dev.streamingcdp.simulator.SimulatedRecord;
import dev.streamingcdp.simulator.SimulationOptions;
import dev.streamingcdp.simulator.TrafficGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fuzz inputs for the job's input topics, reproducible from a seed: valid events from the traffic simulator, each
 * used once, either sent unchanged (GOOD, interleaved throughout), re-sent (DUPLICATE), or mutated.
 */
final class FuzzGenerator {

    /** Relative weights: mostly bad input, a steady share of good events, few (but heavy) huge strings. */
    private static final Map<Mutation, Double> WEIGHTS = new EnumMap<>(Map.ofEntries(
            Map.entry(Mutation.GOOD, 10.0), Map.entry(Mutation.DUPLICATE, 1.5),
            Map.entry(Mutation.HUGE_STRING, 0.15), Map.entry(Mutation.TRUNCATED, 6.0),
            Map.entry(Mutation.WRONG_TYPE, 7.0), Map.entry(Mutation.DEEP_NESTING, 5.0),
            Map.entry(Mutation.ODD_UNICODE, 8.0), Map.entry(Mutation.INVALID_UTF8, 6.0),
            Map.entry(Mutation.EXTREME_TIMESTAMP, 7.0), Map.entry(Mutation.MISSING_ID, 7.0),
            Map.entry(Mutation.NOT_AN_OBJECT, 5.0), Map.entry(Mutation.RANDOM_BYTES, 5.0),
            Map.entry(Mutation.TOMBSTONE, 3.0), Map.entry(Mutation.AVRO_CORRUPT, 6.0),
            Map.entry(Mutation.AVRO_ODD_FIELDS, 6.0), Map.entry(Mutation.WRONG_TOPIC, 4.0)));
    private static final double TOTAL_WEIGHT = WEIGHTS.values().stream().mapToDouble(Double::doubleValue).sum();
    /** Duplicates re-send one of the last GOOD events, as a retrying client does. */
    private static final int RECENT = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;
    private final TrafficGenerator traffic;
    private final JsonMutator json;
    private final AvroMutator avro;
    private final String jsonTopic;
    private final String avroTopic;
    private final List<FuzzInput> recentGood = new ArrayList<>(RECENT);
    private int good;

    FuzzGenerator(long seed, JobDefinition job) {
        random = new Random(seed);
        JobInput input = JobInput.of(job);
        jsonTopic = input.jsonTopic();
        avroTopic = input.avroTopic();
        traffic = new TrafficGenerator(new SimulationOptions(seed, 1000, 0, 0, 0.2,
                Instant.parse("2026-11-23T08:00:00Z"), Duration.ofMillis(5)), input);
        json = new JsonMutator(random, job.ingest().maxPayloadBytes());
        avro = new AvroMutator(random);
    }

    List<FuzzInput> generate(int count) {
        List<FuzzInput> inputs = new ArrayList<>(count);
        while (inputs.size() < count) {
            inputs.add(next());
        }
        return inputs;
    }

    private FuzzInput next() {
        Mutation m = pick();
        return switch (m) {
            case GOOD -> remember(base(null), m);
            case DUPLICATE -> recentGood.isEmpty() ? remember(base(null), Mutation.GOOD)
                    : withMutation(recentGood.get(random.nextInt(recentGood.size())), m);
            case RANDOM_BYTES -> {
                byte[] bytes = new byte[random.nextInt(random.nextBoolean() ? 16 : 2000)];
                random.nextBytes(bytes);
                yield new FuzzInput(anyTopic(), randomKey(), bytes, m);
            }
            case TOMBSTONE -> new FuzzInput(anyTopic(), randomKey(), null, m);
            case AVRO_CORRUPT -> {
                SimulatedRecord r = base(Format.AVRO);
                yield new FuzzInput(avroTopic, r.key(), avro.corrupt(r.value()), m);
            }
            case AVRO_ODD_FIELDS -> {
                SimulatedRecord r = base(Format.AVRO);
                yield new FuzzInput(avroTopic, r.key(), avro.oddFields(decode(r.value())), m);
            }
            case WRONG_TOPIC -> {
                SimulatedRecord r = base(null);
                yield new FuzzInput(r.format() == Format.AVRO ? jsonTopic : avroTopic, r.key(), r.value(), m);
            }
            default -> {
                SimulatedRecord r = base(Format.JSON);
                yield new FuzzInput(jsonTopic, r.key(), json.apply(m, parse(r.value())), m);
            }
        };
    }

    private Mutation pick() {
        double roll = random.nextDouble() * TOTAL_WEIGHT;
        for (Map.Entry<Mutation, Double> w : WEIGHTS.entrySet()) {
            roll -= w.getValue();
            if (roll < 0) {
                return w.getKey();
            }
        }
        return Mutation.GOOD;
    }

    /** The next valid simulated event, of the format given (null: any). */
    private SimulatedRecord base(Format format) {
        SimulatedRecord r = traffic.next();
        while (format != null && r.format() != format) {
            r = traffic.next();
        }
        return r;
    }

    /** Only keyed records are re-sent: a re-send must land behind its original, on the same partition. */
    private FuzzInput remember(SimulatedRecord r, Mutation m) {
        FuzzInput input = new FuzzInput(r.topic(), r.key(), r.value(), m);
        if (r.key() == null) {
            return input;
        }
        int slot = good++ % RECENT;
        if (slot < recentGood.size()) {
            recentGood.set(slot, input);
        } else {
            recentGood.add(input);
        }
        return input;
    }

    private static FuzzInput withMutation(FuzzInput original, Mutation m) {
        return new FuzzInput(original.topic(), original.key(), original.value(), m);
    }

    private String anyTopic() {
        return random.nextBoolean() ? jsonTopic : avroTopic;
    }

    private String randomKey() {
        return random.nextInt(3) == 0 ? null : "k" + random.nextInt(1000);
    }

    private static ObjectNode parse(byte[] value) {
        try {
            return (ObjectNode) JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SegmentEvent decode(byte[] value) {
        try {
            return SegmentEvent.getDecoder().decode(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
