package dev.streamingcdp.segment;

import dev.streamingcdp.model.Fact;

/** The value of a computed trait from its fact as seen at one moment (see {@link Facts#at}). */
public final class ComputedTraits {

    private ComputedTraits() {}

    /** Long for counts, Double for sums and statistics, the property's own value for first/last; null when undefined. */
    public static Object value(ComputedTraitDefinition.Function function, Fact f) {
        return switch (function) {
            case COUNT -> f.getCount();
            case SUM -> f.getSum();
            case MIN -> f.getMin();
            case MAX -> f.getMax();
            case AVERAGE -> f.getNumbers() == 0 ? null : f.getSum() / f.getNumbers();
            case FIRST -> f.getFirst() == null ? null : f.getFirst().getValue();
            case LAST -> f.getLast() == null ? null : f.getLast().getValue();
            case DISTINCT_COUNT -> (long) f.getDistinct().size();
        };
    }
}
