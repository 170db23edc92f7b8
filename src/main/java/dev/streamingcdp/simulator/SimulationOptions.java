package dev.streamingcdp.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * What to simulate. Equal options produce byte-identical traffic.
 *
 * @param seed           seeds every random choice: population, journeys, message ids, breakage
 * @param customers      population size
 * @param malformedShare share of records that are malformed, cycling over every {@link RejectCode}
 * @param duplicateShare share of records that re-send a recent valid record unchanged (same messageId)
 * @param avroShare      share of events sent Avro-encoded when the job has an Avro input topic
 * @param start          event time of the first record
 * @param timeStep       event time that passes between two records (1 s / rate when paced)
 */
public record SimulationOptions(long seed, int customers, double malformedShare, double duplicateShare,
        double avroShare, Instant start, Duration timeStep) {

    public SimulationOptions {
        if (customers < 1) {
            throw new IllegalArgumentException("customers must be at least 1, was " + customers);
        }
        share("malformed share", malformedShare);
        share("duplicate share", duplicateShare);
        share("avro share", avroShare);
        if (malformedShare + duplicateShare > 1) {
            throw new IllegalArgumentException("malformed and duplicate shares add up to more than 1");
        }
        if (start == null) {
            throw new IllegalArgumentException("start is required");
        }
        if (timeStep == null || timeStep.isNegative()) {
            throw new IllegalArgumentException("time step must be zero or positive");
        }
    }

    /** The command line's defaults: seed 42, 1000 customers, 2% malformed, 1% duplicates, 10% Avro, 200 events/s. */
    public static SimulationOptions defaults(Instant start) {
        return new SimulationOptions(42, 1000, 0.02, 0.01, 0.1, start, Duration.ofMillis(5));
    }

    private static void share(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
        }
    }
}
