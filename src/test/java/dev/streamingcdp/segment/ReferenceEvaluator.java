package dev.streamingcdp.segment;

import dev.streamingcdp.model.CdpEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The segment semantics written down a second time, the slow and obvious way: membership at {@code now} is computed
 * from a profile's FULL event history, with no facts, pruning, timers or arrival order. Shares only the definition
 * records with the runtime (no Facts, Evaluator, Comparisons or ProfileLogic), so the property test compares two
 * independent readings of the brief:
 * <ul>
 *   <li>an event at t counts at now when now - W &lt; t &lt;= now (W null: ever, t &lt;= now);</li>
 *   <li>sequence (did A, notFollowedBy B, within W): the latest A is at least W old and no B at or after it;</li>
 *   <li>traits: the latest event time wins; ties by value (type null &lt; boolean &lt; long &lt; double &lt; string,
 *       then natural order), then channel (null first), as profile/ProfileLogic under trait policy latest;</li>
 *   <li>comparisons: absent fails everything but notEquals and exists false; numbers compare by value, a numeric
 *       string is a number for greaterThan/lessThan/between only; matches searches the value's text;</li>
 *   <li>computed traits over the matching events in the window: count; sum (0 when none), min, max, average
 *       (null when none) over numeric (non-string) values; first/last = the property of the earliest/latest event
 *       (ties by the value's text, then type); distinct_count of the non-null values' texts.</li>
 * </ul>
 */
public final class ReferenceEvaluator {

    private final SegmentCatalog catalog;

    public ReferenceEvaluator(SegmentCatalog catalog) {
        this.catalog = catalog;
    }

    /** segment id -> member, for one profile with {@code history} (all its events, any order) at {@code now}. */
    public Map<String, Boolean> memberships(List<CdpEvent> history, long now) {
        Map<String, Boolean> result = new TreeMap<>();
        for (SegmentDefinition s : catalog.segments()) {
            result.put(s.id(), holds(s.condition(), history, now));
        }
        return result;
    }

    boolean holds(Condition c, List<CdpEvent> history, long now) {
        if (c instanceof Condition.All all) {
            return all.conditions().stream().allMatch(x -> holds(x, history, now));
        }
        if (c instanceof Condition.Any any) {
            return any.conditions().stream().anyMatch(x -> holds(x, history, now));
        }
        if (c instanceof Condition.Not not) {
            return !holds(not.condition(), history, now);
        }
        if (c instanceof Condition.Trait t) {
            return test(t.comparison(), trait(history, t.trait(), now));
        }
        if (c instanceof Condition.Computed t) {
            return test(t.comparison(), computed(history, t.computedTrait(), now));
        }
        if (c instanceof Condition.Event e) {
            long count = history.stream().filter(x -> inWindow(x, now, e.within()) && matches(e.matcher(), x)).count();
            return count >= e.atLeast() && (e.atMost() == null || count <= e.atMost());
        }
        Condition.Sequence s = (Condition.Sequence) c;
        Optional<Long> lastDid = history.stream().filter(x -> at(x) <= now && matches(s.did(), x))
                .map(ReferenceEvaluator::at).max(Long::compare);
        if (lastDid.isEmpty()) {
            return false;
        }
        long a = lastDid.get();
        boolean followed = history.stream().anyMatch(x -> at(x) >= a && at(x) <= now && matches(s.notFollowedBy(), x));
        return !followed && now - a >= s.within().toMillis();
    }

    /** The value of a trait: from the event with the latest time (then the greatest value, then channel). */
    Object trait(List<CdpEvent> history, String name, long now) {
        CdpEvent best = null;
        for (CdpEvent e : history) {
            if (at(e) > now || !e.getTraits().containsKey(name)) {
                continue;
            }
            if (best == null || traitOrder(e, best, name) > 0) {
                best = e;
            }
        }
        return best == null ? null : best.getTraits().get(name);
    }

    private static int traitOrder(CdpEvent a, CdpEvent b, String name) {
        int c = Long.compare(at(a), at(b));
        if (c != 0) {
            return c;
        }
        Object x = a.getTraits().get(name);
        Object y = b.getTraits().get(name);
        c = Integer.compare(typeRank(x), typeRank(y));
        if (c == 0 && x != null) {
            c = compareSameType(x, y);
        }
        if (c != 0) {
            return c;
        }
        return Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(a.getChannel(), b.getChannel());
    }

    private static int typeRank(Object v) {
        return v == null ? 0 : v instanceof Boolean ? 1 : v instanceof Long ? 2 : v instanceof Double ? 3 : 4;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareSameType(Object x, Object y) {
        return ((Comparable) x).compareTo(y);
    }

    /** A computed trait's value at {@code now}: the function over the matching events inside its window. */
    Object computed(List<CdpEvent> history, String name, long now) {
        ComputedTraitDefinition t = catalog.computedTrait(name).orElseThrow();
        List<CdpEvent> in = history.stream().filter(x -> inWindow(x, now, t.within()) && matches(t.source(), x))
                .toList();
        List<Object> values = new ArrayList<>();
        for (CdpEvent e : in) {
            values.add(t.property() == null ? null : e.getProperties().get(t.property()));
        }
        List<BigDecimal> numbers = values.stream().filter(v -> v instanceof Long || v instanceof Double)
                .map(v -> new BigDecimal(v.toString())).toList();
        BigDecimal sum = numbers.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return switch (t.function()) {
            case COUNT -> (long) in.size();
            case SUM -> sum.doubleValue();
            case MIN -> numbers.stream().min(BigDecimal::compareTo).map(BigDecimal::doubleValue).orElse(null);
            case MAX -> numbers.stream().max(BigDecimal::compareTo).map(BigDecimal::doubleValue).orElse(null);
            case AVERAGE -> numbers.isEmpty() ? null : sum.doubleValue() / numbers.size();
            case FIRST -> extreme(in, t.property(), false);
            case LAST -> extreme(in, t.property(), true);
            case DISTINCT_COUNT -> {
                Set<String> distinct = new HashSet<>();
                values.stream().filter(Objects::nonNull).forEach(v -> distinct.add(String.valueOf(v)));
                yield (long) distinct.size();
            }
        };
    }

    /**
     * The property of the earliest (latest) event; equal times are ordered by the value's text (absent: ""), then
     * its type (as for traits), so that 10 and "10" at the same time give one answer.
     */
    private static Object extreme(List<CdpEvent> events, String property, boolean latest) {
        Comparator<CdpEvent> order = Comparator.comparingLong(ReferenceEvaluator::at)
                .thenComparing(e -> Objects.toString(e.getProperties().get(property), ""))
                .thenComparingInt(e -> typeRank(e.getProperties().get(property)));
        Optional<CdpEvent> e = latest ? events.stream().max(order) : events.stream().min(order);
        return e.map(x -> x.getProperties().get(property)).orElse(null);
    }

    static boolean matches(EventMatcher m, CdpEvent e) {
        if (!m.type().code().equals(e.getType())) {
            return false;
        }
        if (m.event() != null && !m.event().equals(e.getEvent())) {
            return false;
        }
        return m.where().entrySet().stream().allMatch(w -> test(w.getValue(), e.getProperties().get(w.getKey())));
    }

    private static boolean inWindow(CdpEvent e, long now, Duration window) {
        long t = at(e);
        return t <= now && (window == null || t > now - window.toMillis());
    }

    private static long at(CdpEvent e) {
        return e.getEventTime().toEpochMilli();
    }

    // ---- comparisons, written independently of segment/Comparisons

    static boolean test(Comparison c, Object v) {
        if (c instanceof Comparison.Exists x) {
            return x.exists() == (v != null);
        }
        if (c instanceof Comparison.NotEquals x) {
            return v == null || !same(v, x.value());
        }
        if (v == null) {
            return false;
        }
        if (c instanceof Comparison.Equals x) {
            return same(v, x.value());
        }
        if (c instanceof Comparison.In x) {
            return x.values().stream().anyMatch(expected -> same(v, expected));
        }
        if (c instanceof Comparison.Contains x) {
            return v instanceof String s && s.contains(x.text());
        }
        if (c instanceof Comparison.Matches x) {
            return x.pattern().matcher(v.toString()).find();
        }
        BigDecimal n = ordered(v);
        if (n == null) {
            return false;
        }
        if (c instanceof Comparison.GreaterThan x) {
            return n.compareTo(x.value()) > 0;
        }
        if (c instanceof Comparison.LessThan x) {
            return n.compareTo(x.value()) < 0;
        }
        Comparison.Between x = (Comparison.Between) c;
        return n.compareTo(x.low()) >= 0 && n.compareTo(x.high()) <= 0;
    }

    /** equals/in: a number only equals a number (by value), a string a string, a boolean a boolean. */
    private static boolean same(Object v, Object expected) {
        if (expected instanceof BigDecimal d) {
            return (v instanceof Long || v instanceof Double) && new BigDecimal(v.toString()).compareTo(d) == 0;
        }
        return expected.equals(v);
    }

    /** For the ordering operators: numbers, and strings that read as numbers; null otherwise. */
    private static BigDecimal ordered(Object v) {
        if (v instanceof Long || v instanceof Double) {
            return new BigDecimal(v.toString());
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
