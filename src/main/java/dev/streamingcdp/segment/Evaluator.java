package dev.streamingcdp.segment;

import dev.streamingcdp.model.Fact;
import dev.streamingcdp.model.Occurrence;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.TraitValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a segment's condition for one profile at one moment ({@code now}, the profile's event-time clock) and
 * collects the facts that decided it. Window semantics: an event at t counts at now when now - window < t <= now.
 * A sequence holds when the latest {@code did} is at least {@code within} old and no {@code notFollowedBy} came at
 * or after it.
 */
public final class Evaluator {

    /** One leaf condition as evaluated: what it says, the value it saw, and whether it held. */
    public record Finding(String condition, Object value, boolean held) {}

    public record Result(boolean held, List<Finding> findings) {}

    private final ProfileState profile;
    private final ActiveSegments active;
    private final long now;

    public Evaluator(ProfileState profile, ActiveSegments active, long now) {
        this.profile = profile;
        this.active = active;
        this.now = now;
    }

    public Result evaluate(SegmentDefinition segment) {
        List<Finding> facts = new ArrayList<>();
        boolean held = held(segment.condition(), facts);
        return new Result(held, facts);
    }

    /** The value of a computed trait of this profile now. */
    public Object computed(String name) {
        ComputedTraitDefinition t = active.computedTrait(name);
        FactSpec spec = active.specOf(t);
        return ComputedTraits.value(t.function(), Facts.at(fact(spec), spec, now));
    }

    /** The next moment after now at which {@code segment}'s outcome can change without a new event (MAX: never). */
    public long nextChange(SegmentDefinition segment) {
        return segment.condition().nodes().mapToLong(this::nextChange).min().orElse(Long.MAX_VALUE);
    }

    private long nextChange(Condition c) {
        if (c instanceof Condition.Event e) {
            FactSpec spec = active.specOf(e);
            return Facts.nextExit(fact(spec), spec, now);
        }
        if (c instanceof Condition.Computed t) {
            FactSpec spec = active.specOf(active.computedTrait(t.computedTrait()));
            return Facts.nextExit(fact(spec), spec, now);
        }
        if (c instanceof Condition.Sequence s) {
            Occurrence did = lastOf(s.did());
            Occurrence then = lastOf(s.notFollowedBy());
            long due = did == null ? Long.MAX_VALUE : did.getAt() + s.within().toMillis();
            boolean open = did != null && (then == null || then.getAt() < did.getAt());
            return open && due > now ? due : Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }

    private boolean held(Condition c, List<Finding> facts) {
        if (c instanceof Condition.All all) {
            boolean held = true;
            for (Condition child : all.conditions()) {
                held &= held(child, facts);
            }
            return held;
        }
        if (c instanceof Condition.Any any) {
            boolean held = false;
            for (Condition child : any.conditions()) {
                held |= held(child, facts);
            }
            return held;
        }
        if (c instanceof Condition.Not not) {
            List<Finding> inner = new ArrayList<>();
            boolean held = !held(not.condition(), inner);
            inner.forEach(f -> facts.add(new Finding("not " + f.condition(), f.value(), !f.held())));
            return held;
        }
        if (c instanceof Condition.Trait t) {
            TraitValue v = profile.getTraits().get(t.trait());
            Object value = v == null ? null : v.getValue();
            return leaf(facts, "trait " + t.trait() + " " + Describe.comparison(t.comparison()), value,
                    Comparisons.test(t.comparison(), value));
        }
        if (c instanceof Condition.Computed t) {
            Object value = computed(t.computedTrait());
            return leaf(facts, "computed " + t.computedTrait() + " " + Describe.comparison(t.comparison()), value,
                    Comparisons.test(t.comparison(), value));
        }
        if (c instanceof Condition.Event e) {
            FactSpec spec = active.specOf(e);
            long count = Facts.at(fact(spec), spec, now).getCount();
            boolean held = count >= e.atLeast() && (e.atMost() == null || count <= e.atMost());
            return leaf(facts, Describe.event(e), count, held);
        }
        Condition.Sequence s = (Condition.Sequence) c;
        Occurrence did = lastOf(s.did());
        Occurrence then = lastOf(s.notFollowedBy());
        boolean held = did != null && (then == null || then.getAt() < did.getAt())
                && now >= did.getAt() + s.within().toMillis();
        return leaf(facts, Describe.sequence(s), did == null ? null : Instant.ofEpochMilli(did.getAt())
                .toString(), held);
    }

    private Occurrence lastOf(EventMatcher matcher) {
        Fact f = fact(active.specOf(matcher));
        return f == null ? null : f.getLast();
    }

    private Fact fact(FactSpec spec) {
        return profile.getFacts().get(spec.key());
    }

    private static boolean leaf(List<Finding> facts, String condition, Object value, boolean held) {
        facts.add(new Finding(condition, value, held));
        return held;
    }
}
