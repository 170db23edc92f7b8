package dev.streamingcdp.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of latency samples: the p-th percentile is a value that was actually observed. */
public final class Percentiles {

    private Percentiles() {}

    /** @param p in (0, 100] */
    public static long of(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** p50, p99 and max of {@code samples}; all -1 when there are none (nothing arrived). */
    public static Results.Summary summary(long[] samples, int missing) {
        if (samples.length == 0) {
            return new Results.Summary(0, missing, -1, -1, -1);
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Results.Summary(sorted.length, missing, of(sorted, 50), of(sorted, 99), sorted[sorted.length - 1]);
    }
}
