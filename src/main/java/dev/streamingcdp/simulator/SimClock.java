package dev.streamingcdp.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * Event time of the simulation: record n happens at start + n * step. Computed, not read from the wall clock, so a
 * run is reproducible; with step = 1 s / rate it still keeps pace with real time.
 */
final class SimClock {

    private final Instant start;
    private final Duration step;
    private long records;

    SimClock(Instant start, Duration step) {
        this.start = start;
        this.step = step;
    }

    Instant now() {
        return start.plus(step.multipliedBy(records));
    }

    void advance() {
        records++;
    }
}
