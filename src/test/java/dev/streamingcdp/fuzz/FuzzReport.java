package dev.streamingcdp.fuzz;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The run's figures for the benchmark report: inputs by kind, outcomes by kind and reason, rates and durations. */
final class FuzzReport {

    private final Map<Mutation, Map<String, Integer>> outcomes = new EnumMap<>(Mutation.class);
    private final Map<String, Integer> byOutcome = new TreeMap<>();
    private final long seed;
    private final int inputs;

    FuzzReport(long seed, int inputs) {
        this.seed = seed;
        this.inputs = inputs;
    }

    /** One input's outcomes: "enriched", a dead-letter reason, or none (dropped as a duplicate). */
    void add(Mutation m, List<String> seen) {
        String outcome = seen.isEmpty() ? "(dropped)" : String.join("+", seen);
        outcomes.computeIfAbsent(m, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        byOutcome.merge(outcome, 1, Integer::sum);
    }

    String format(double generateSeconds, double produceSeconds, double accountSeconds, long restarts) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("fuzz run: seed %d, %,d inputs%n", seed, inputs));
        s.append(String.format("generate %.1f s; produce %.1f s; produce until every input is accounted for "
                + "%.1f s = %,.0f records/s through the job; job restarts %d%n", generateSeconds, produceSeconds,
                accountSeconds, inputs / accountSeconds, restarts));
        s.append(String.format("%-18s %8s  %s%n", "input kind", "inputs", "outcomes"));
        outcomes.forEach((m, o) -> s.append(String.format("%-18s %8d  %s%n", m.name().toLowerCase(),
                o.values().stream().mapToInt(Integer::intValue).sum(), o)));
        s.append("outcomes overall:").append(System.lineSeparator());
        byOutcome.forEach((o, n) -> s.append(String.format("  %-26s %8d%n", o, n)));
        return s.toString();
    }
}
