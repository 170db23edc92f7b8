package dev.streamingcdp.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * job.yaml {@code segments.backfill:} a slice of a definition backfill evaluates at most {@code sliceKeys} profiles
 * and stops early after {@code sliceTime}; events run between slices, so no event waits longer than one slice.
 * {@code maxShare}: the share of the task thread's time the slices may take at most, so that the changes they emit
 * reach Kafka at a pace the sinks drain without the events' own output waiting behind them.
 */
public record BackfillSettings(Integer sliceKeys, Duration sliceTime, Double maxShare) implements Serializable {

    public BackfillSettings {
        sliceKeys = sliceKeys != null ? sliceKeys : 2_000;
        sliceTime = sliceTime != null ? sliceTime : Duration.ofMillis(20);
        maxShare = maxShare != null ? maxShare : 0.5;
    }

    void check() {
        FieldChecks.positive("segments.backfill.sliceKeys", sliceKeys);
        FieldChecks.positive("segments.backfill.sliceTime", sliceTime);
        FieldChecks.share("segments.backfill.maxShare", maxShare);
    }
}
