package dev.streamingcdp.segment;

import dev.streamingcdp.config.ConfigException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** All segment definitions and computed traits of a job: segments/*.yaml and computed-traits.yaml. */
public record SegmentCatalog(List<SegmentDefinition> segments, List<ComputedTraitDefinition> computedTraits)
        implements Serializable {

    public static final String SEGMENTS_DIR = "segments";
    public static final String COMPUTED_TRAITS_FILE = "computed-traits.yaml";

    public SegmentCatalog {
        segments = List.copyOf(segments);
        computedTraits = List.copyOf(computedTraits);
    }

    /**
     * Loads and checks the definitions of {@code jobDir} (segments sorted by file name; both optional). A problem
     * stops the start with one line naming file, line and field.
     */
    public static SegmentCatalog load(Path jobDir) {
        Validation v = validate(jobDir);
        if (!v.errors().isEmpty()) {
            int more = v.errors().size() - 1;
            throw new ConfigException(v.errors().get(0) + (more == 0 ? ""
                    : " (and " + more + " more; bin/cdp segments validate --job " + jobDir + " lists them)"));
        }
        return v.catalog();
    }

    /** Reads {@code jobDir} collecting every problem: the catalog (null when there are errors) and the error lines. */
    public static Validation validate(Path jobDir) {
        return DefinitionFiles.validate(jobDir);
    }

    /** A control-topic document, checked against this catalog's computed traits. */
    public SegmentDefinition definitionFromJson(String json) {
        return SegmentDefinition.fromJson(json, computedTraitNames());
    }

    public Set<String> computedTraitNames() {
        return computedTraits.stream().map(ComputedTraitDefinition::name).collect(Collectors.toUnmodifiableSet());
    }

    public Optional<SegmentDefinition> segment(String id) {
        return segments.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<ComputedTraitDefinition> computedTrait(String name) {
        return computedTraits.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public record Validation(SegmentCatalog catalog, List<String> errors) {
        public Validation {
            errors = List.copyOf(errors);
        }
    }
}
