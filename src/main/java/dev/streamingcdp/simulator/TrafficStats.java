package dev.streamingcdp.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Records acknowledged by Kafka, by kind, and the failed ones. Updated from the producer's callback thread, read by
 * the progress printer. Sorted maps, so the summary lines always list kinds in the same order.
 */
final class TrafficStats {

    private final Map<String, LongAdder> valid = new ConcurrentSkipListMap<>();
    private final LongAdder duplicates = new LongAdder();
    private final Map<String, LongAdder> malformed = new ConcurrentSkipListMap<>();
    private final LongAdder failed = new LongAdder();

    void acknowledged(RecordKind kind) {
        switch (kind.outcome()) {
            case VALID -> count(valid, kind.eventType());
            case DUPLICATE -> duplicates.increment();
            case MALFORMED -> count(malformed, kind.reason().code());
        }
    }

    void failed() {
        failed.increment();
    }

    long acknowledged() {
        return sum(valid) + duplicates.sum() + sum(malformed);
    }

    /** e.g. {@code sent 1000: valid 970 (identify 80, page 400, ...), duplicate 10, malformed 20 (bad_json 2, ...)}. */
    String summary() {
        String line = "sent " + acknowledged() + ": valid " + sum(valid) + details(valid)
                + ", duplicate " + duplicates.sum() + ", malformed " + sum(malformed) + details(malformed);
        return failed.sum() == 0 ? line : line + ", failed " + failed.sum();
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static long sum(Map<String, LongAdder> counts) {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static String details(Map<String, LongAdder> counts) {
        return counts.isEmpty() ? "" : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().sum())
                .collect(Collectors.joining(", ", " (", ")"));
    }
}
