package dev.streamingcdp.segment;

import dev.streamingcdp.segment.avro.SegmentControl;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The definitions in force: the job's YAML catalog overlaid with what the control topic changed since (a newer
 * version, a new segment, a deletion), and the facts they need, each condition mapped to its fact once.
 */
public final class ActiveSegments {

    private final Map<String, SegmentDefinition> segments;
    private final Map<String, ComputedTraitDefinition> computedTraits = new LinkedHashMap<>();
    private final Map<String, FactSpec> specs = new LinkedHashMap<>();
    /** Event conditions, sequence matchers and computed-trait definitions -> their fact (by identity: fast). */
    private final Map<Object, FactSpec> specOf = new IdentityHashMap<>();

    private ActiveSegments(Map<String, SegmentDefinition> segments, Collection<ComputedTraitDefinition> computed) {
        this.segments = segments;
        computed.forEach(t -> {
            computedTraits.put(t.name(), t);
            specOf.put(t, add(FactSpec.of(t.source(), t.property(), t.within())));
        });
        segments.values().forEach(s -> s.condition().nodes().forEach(this::addFacts));
    }

    /** {@code controls}: segment id -> the latest accepted control record (definition null: deleted). */
    public static ActiveSegments of(SegmentCatalog catalog, Iterable<Map.Entry<String, SegmentControl>> controls) {
        Map<String, SegmentDefinition> segments = new TreeMap<>();
        catalog.segments().forEach(s -> segments.put(s.id(), s));
        for (Map.Entry<String, SegmentControl> c : controls) {
            String json = c.getValue().getDefinition();
            if (json == null) {
                segments.remove(c.getKey());
            } else {
                segments.put(c.getKey(), SegmentDefinition.fromJson(json, catalog.computedTraitNames()));
            }
        }
        return new ActiveSegments(segments, catalog.computedTraits());
    }

    public Collection<SegmentDefinition> segments() {
        return segments.values();
    }

    public Optional<SegmentDefinition> segment(String id) {
        return Optional.ofNullable(segments.get(id));
    }

    public Collection<ComputedTraitDefinition> computedTraits() {
        return computedTraits.values();
    }

    public ComputedTraitDefinition computedTrait(String name) {
        return computedTraits.get(name);
    }

    /** fact key -> spec: every fact some definition needs. */
    public Map<String, FactSpec> specs() {
        return specs;
    }

    /** The fact of an event condition, a sequence's matcher or a computed-trait definition of this set. */
    public FactSpec specOf(Object node) {
        return specOf.get(node);
    }

    private void addFacts(Condition c) {
        if (c instanceof Condition.Event e) {
            specOf.put(e, add(FactSpec.of(e.matcher(), null, e.within())));
        } else if (c instanceof Condition.Sequence s) {
            specOf.put(s.did(), add(FactSpec.of(s.did(), null, null)));
            specOf.put(s.notFollowedBy(), add(FactSpec.of(s.notFollowedBy(), null, null)));
        }
    }

    private FactSpec add(FactSpec spec) {
        return specs.computeIfAbsent(spec.key(), k -> spec);
    }
}
