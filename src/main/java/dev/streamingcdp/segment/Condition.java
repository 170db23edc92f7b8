package dev.streamingcdp.segment;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** A node of a segment's condition tree; the YAML key of the node decides its kind. */
public sealed interface Condition extends Serializable {

    /** This node and every node below it, depth first (e.g. to find the events or computed traits a segment uses). */
    default Stream<Condition> nodes() {
        return Stream.of(this);
    }

    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = List.copyOf(conditions);
        }

        @Override
        public Stream<Condition> nodes() {
            return Stream.concat(Stream.of(this), conditions.stream().flatMap(Condition::nodes));
        }
    }

    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = List.copyOf(conditions);
        }

        @Override
        public Stream<Condition> nodes() {
            return Stream.concat(Stream.of(this), conditions.stream().flatMap(Condition::nodes));
        }
    }

    record Not(Condition condition) implements Condition {
        @Override
        public Stream<Condition> nodes() {
            return Stream.concat(Stream.of(this), condition.nodes());
        }
    }

    /** A profile trait (as merged from identify calls). */
    record Trait(String trait, Comparison comparison) implements Condition {}

    /** A trait computed from events, declared in computed-traits.yaml. */
    record Computed(String computedTrait, Comparison comparison) implements Condition {}

    /**
     * The profile has between {@code atLeast} and {@code atMost} (null: no upper bound) matching events within the
     * sliding window {@code within} (null: ever).
     */
    record Event(EventMatcher matcher, int atLeast, Integer atMost, Duration within) implements Condition {}

    /** Did {@code did} and no {@code notFollowedBy} within {@code within} after it (cart abandonment). */
    record Sequence(EventMatcher did, EventMatcher notFollowedBy, Duration within) implements Condition {}
}
