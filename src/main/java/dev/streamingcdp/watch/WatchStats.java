package dev.streamingcdp.watch;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Records counted per label and category; the rate is over the time since the previous summary. */
final class WatchStats {

    private static final class Counts {
        long total;
        long sinceSummary;
        final Map<String, Long> byCategory = new HashMap<>();
    }

    private final Map<String, Counts> byLabel = new LinkedHashMap<>();

    /** Labels appear in the summary in the order they are added, also before their first record. */
    void add(String label) {
        byLabel.putIfAbsent(label, new Counts());
    }

    void count(String label, String category) {
        Counts c = byLabel.computeIfAbsent(label, l -> new Counts());
        c.total++;
        c.sinceSummary++;
        c.byCategory.merge(category, 1L, Long::sum);
    }

    /** One line per label: total, rate, categories by count (largest first); starts the next rate period. */
    String summary(double seconds) {
        int width = byLabel.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        byLabel.forEach((label, c) -> {
            double rate = seconds > 0 ? c.sinceSummary / seconds : 0;
            out.append(String.format("%s total %-7d %8.1f/s  %s",
                    padded(label, width), c.total, rate, categories(c)).strip()).append(System.lineSeparator());
            c.sinceSummary = 0;
        });
        return out.toString();
    }

    /** Labels padded to one width, so that the lines of all roles align. */
    static String padded(String label, int width) {
        return label + " ".repeat(Math.max(0, width - label.length()));
    }

    private static String categories(Counts c) {
        return c.byCategory.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
