package dev.streamingcdp.segment;

import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Fact;
import dev.streamingcdp.model.Occurrence;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a profile's facts (see {@link FactSpec}) up to date. Every update is a union (occurrences appended,
 * aggregates summed or min/max-ed), so events and merges give the same facts in any order; windows only drop
 * occurrences that can no longer count at the profile's clock, which only moves forward.
 */
public final class Facts {

    /**
     * first/last ties on event time are broken by value (its text, then its type: 10 and "10" read the same), so the
     * outcome does not depend on arrival order.
     */
    private static final Comparator<Occurrence> ORDER = Comparator.comparingLong(Occurrence::getAt)
            .thenComparing(o -> Objects.toString(o.getValue(), ""))
            .thenComparingInt(o -> typeRank(o.getValue()));

    private Facts() {}

    /** Adds {@code e} to every fact whose matcher takes it; occurrences already outside their window at {@code now} are skipped. */
    public static void record(Map<String, Fact> facts, Collection<FactSpec> specs, CdpEvent e, long now) {
        long at = e.getEventTime().toEpochMilli();
        for (FactSpec spec : specs) {
            if (!spec.matcher().matches(e)) {
                continue;
            }
            Object value = spec.property() == null ? null : e.getProperties().get(spec.property());
            Occurrence o = new Occurrence(at, value);
            Fact f = facts.computeIfAbsent(spec.key(), k -> empty());
            if (spec.windowed()) {
                if (at > now - spec.window().toMillis()) {
                    f.getOccurrences().add(o);
                }
            } else {
                add(f, o);
            }
        }
    }

    /** Drops facts no definition needs any more and occurrences that left their window at {@code now}. */
    public static void prune(Map<String, Fact> facts, Map<String, FactSpec> specs, long now) {
        facts.keySet().retainAll(specs.keySet());
        for (Map.Entry<String, Fact> e : facts.entrySet()) {
            FactSpec spec = specs.get(e.getKey());
            if (spec.windowed()) {
                long from = now - spec.window().toMillis();
                List<Occurrence> occurrences = e.getValue().getOccurrences();
                if (occurrences.stream().anyMatch(o -> o.getAt() <= from)) {
                    // a new list: one read back from state is Avro's array, whose iterator cannot remove
                    e.getValue().setOccurrences(new ArrayList<>(
                            occurrences.stream().filter(o -> o.getAt() > from).toList()));
                }
            }
        }
    }

    /** Unites {@code from} (an absorbed profile's facts) into {@code into}. */
    public static void absorb(Map<String, Fact> into, Map<String, Fact> from) {
        from.forEach((key, f) -> {
            Fact target = into.computeIfAbsent(key, k -> empty());
            target.getOccurrences().addAll(f.getOccurrences());
            target.setCount(target.getCount() + f.getCount());
            target.setNumbers(target.getNumbers() + f.getNumbers());
            target.setSum(plus(target.getSum(), BigDecimal.valueOf(f.getSum())));
            target.setMin(min(target.getMin(), f.getMin()));
            target.setMax(max(target.getMax(), f.getMax()));
            target.setFirst(earlier(target.getFirst(), f.getFirst()));
            target.setLast(later(target.getLast(), f.getLast()));
            Set<String> distinct = new TreeSet<>(target.getDistinct());
            distinct.addAll(f.getDistinct());
            target.setDistinct(new ArrayList<>(distinct));
        });
    }

    /** The fact as a window at {@code now}: for windowed facts the aggregates over the occurrences inside it. */
    public static Fact at(Fact f, FactSpec spec, long now) {
        if (f == null) {
            return empty();
        }
        if (!spec.windowed()) {
            return f;
        }
        long from = now - spec.window().toMillis();
        Fact view = empty();
        for (Occurrence o : f.getOccurrences()) {
            if (o.getAt() > from && o.getAt() <= now) {
                add(view, o);
            }
        }
        return view;
    }

    /** When the first occurrence inside the window at {@code now} leaves it (Long.MAX_VALUE: never). */
    public static long nextExit(Fact f, FactSpec spec, long now) {
        if (f == null || !spec.windowed()) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (Occurrence o : f.getOccurrences()) {
            long exit = o.getAt() + spec.window().toMillis();
            if (exit > now) {
                next = Math.min(next, exit);
            }
        }
        return next;
    }

    public static Fact empty() {
        return new Fact(new ArrayList<>(), 0L, 0L, 0.0, null, null, null, null, new ArrayList<>());
    }

    private static void add(Fact f, Occurrence o) {
        f.setCount(f.getCount() + 1);
        f.setFirst(earlier(f.getFirst(), o));
        f.setLast(later(f.getLast(), o));
        Object value = o.getValue();
        if (value == null) {
            return;
        }
        Comparisons.number(value).filter(n -> !(value instanceof String)).ifPresent(n -> {
            double d = n.doubleValue();
            f.setNumbers(f.getNumbers() + 1);
            f.setSum(plus(f.getSum(), n));
            f.setMin(min(f.getMin(), d));
            f.setMax(max(f.getMax(), d));
        });
        String text = String.valueOf(value);
        List<String> distinct = f.getDistinct();
        if (!distinct.contains(text)) {
            distinct.add(text);
        }
    }

    /**
     * Adds in decimal: a double sum depends on the order of its terms (0.1 + 0.2 + 0.3 is 0.6000000000000001, 0.3 +
     * 0.2 + 0.1 is 0.6), and definitions compare with exact decimals.
     */
    private static double plus(double sum, BigDecimal n) {
        return BigDecimal.valueOf(sum).add(n).doubleValue();
    }

    // Not one ?: chain: mixing Double and double there unboxes the null (both null on a merge of facts without numbers).
    private static Double min(Double a, Double b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Math.min(a, b);
    }

    private static Double max(Double a, Double b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Math.max(a, b);
    }

    /** The order of the value types in the Avro union: null, boolean, long, double, string. */
    private static int typeRank(Object v) {
        return v == null ? 0 : v instanceof Boolean ? 1 : v instanceof Long ? 2 : v instanceof Double ? 3 : 4;
    }

    private static Occurrence earlier(Occurrence a, Occurrence b) {
        return a == null ? b : b == null ? a : ORDER.compare(a, b) <= 0 ? a : b;
    }

    private static Occurrence later(Occurrence a, Occurrence b) {
        return a == null ? b : b == null ? a : ORDER.compare(a, b) >= 0 ? a : b;
    }
}
