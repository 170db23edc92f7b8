package dev.streamingcdp.segment;

import java.time.Duration;
import java.util.stream.Collectors;

/** Conditions in words, for the {@code reason} of a membership change. */
final class Describe {

    private Describe() {}

    static String comparison(Comparison c) {
        if (c instanceof Comparison.Equals e) {
            return "equals " + e.value();
        }
        if (c instanceof Comparison.NotEquals n) {
            return "not equals " + n.value();
        }
        if (c instanceof Comparison.In in) {
            return "in " + in.values().stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
        if (c instanceof Comparison.GreaterThan g) {
            return "greater than " + g.value().toPlainString();
        }
        if (c instanceof Comparison.LessThan l) {
            return "less than " + l.value().toPlainString();
        }
        if (c instanceof Comparison.Between b) {
            return "between " + b.low().toPlainString() + " and " + b.high().toPlainString();
        }
        if (c instanceof Comparison.Exists e) {
            return e.exists() ? "exists" : "does not exist";
        }
        if (c instanceof Comparison.Contains t) {
            return "contains " + t.text();
        }
        return "matches " + ((Comparison.Matches) c).pattern().pattern();
    }

    static String event(Condition.Event e) {
        String count = e.atMost() == null ? "at least " + e.atLeast()
                : e.atLeast() == e.atMost() ? "exactly " + e.atLeast()
                : e.atLeast() + " to " + e.atMost();
        return "event " + e.matcher().describe() + " " + count + " times " + window(e.within());
    }

    static String sequence(Condition.Sequence s) {
        return s.did().describe() + " and no " + s.notFollowedBy().describe() + " within " + duration(s.within());
    }

    static String window(Duration within) {
        return within == null ? "ever" : "within " + duration(within);
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        for (var unit : new Object[][] {{86_400_000L, "d"}, {3_600_000L, "h"}, {60_000L, "m"}, {1000L, "s"}}) {
            long size = (Long) unit[0];
            if (ms % size == 0) {
                return ms / size + (String) unit[1];
            }
        }
        return ms + "ms";
    }
}
