package dev.streamingcdp.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * job.yaml {@code segments.backfill:} a slice of a definition backfill evaluates at most {@code sliceKeys} profiles
 * and stops early after {@code sliceTime}; events run between slices, so no event waits longer than one slice.
 */
public record BackfillSettings(Integer sliceKeys, Duration sliceTime) implements Serializable {

    public BackfillSettings {
        sliceKeys = sliceKeys != null ? sliceKeys : 2_000;
        sliceTime = sliceTime != null ? sliceTime : Duration.ofMillis(20);
    }
}
