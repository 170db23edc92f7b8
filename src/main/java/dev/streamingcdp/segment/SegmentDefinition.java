package dev.streamingcdp.segment;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One segment: who is in it ({@code condition}), where membership changes go ({@code destinations}) and the consent
 * purpose a destination needs ({@code consent}, null: none). A higher {@code version} replaces the running one.
 */
public record SegmentDefinition(String id, String name, int version, String description, List<String> destinations,
        String consent, Condition condition) implements Serializable {

    public SegmentDefinition {
        destinations = List.copyOf(destinations);
    }

    /**
     * Parses a control-topic document (the YAML format, as JSON) without checking computed-trait names; a bad document
     * throws a {@link dev.streamingcdp.config.ConfigException} whose message is one line with line, field and reason.
     */
    public static SegmentDefinition fromJson(String json) {
        return DefinitionFiles.segmentFromJson(json, null);
    }

    /** As {@link #fromJson(String)}, and every computed trait used must be one of {@code computedTraits}. */
    public static SegmentDefinition fromJson(String json, Set<String> computedTraits) {
        return DefinitionFiles.segmentFromJson(json, computedTraits);
    }

    /**
     * Reads one definition file (YAML, or JSON when it ends in .json), as the job reads its segments/ directory; a
     * problem throws a {@link dev.streamingcdp.config.ConfigException} naming the file, line and field.
     */
    public static SegmentDefinition fromFile(Path file, Set<String> computedTraits) {
        return DefinitionFiles.segmentFromFile(file, computedTraits);
    }
}
