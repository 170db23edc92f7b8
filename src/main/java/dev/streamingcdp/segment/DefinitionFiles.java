package dev.streamingcdp.segment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.YamlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads definition documents (YAML files of a job, or JSON from the control topic): parse with line numbers, read
 * into records, validate against the JSON Schema. Each problem is one line: {@code <file> line <n>, field '<path>':
 * <problem>}.
 */
final class DefinitionFiles {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonFactory JSON = new JsonFactory();
    static final String CONTROL_SOURCE = "segment definition JSON";

    private DefinitionFiles() {}

    static SegmentDefinition segmentFromJson(String json, Set<String> computedTraits) {
        try (JsonParser parser = JSON.createParser(json)) {
            DefinitionReader reader = new DefinitionReader(computedTraits);
            return read(CONTROL_SOURCE, parser, DefinitionSchemas.SEGMENT, reader::segment).value();
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    CONTROL_SOURCE + at(e.getLocation()) + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(CONTROL_SOURCE + ": cannot be read: " + e.getMessage());
        }
    }

    /** A definition file outside a job directory (to push it): JSON when its name ends in .json, else YAML. */
    static SegmentDefinition segmentFromFile(Path file, Set<String> computedTraits) {
        DefinitionReader reader = new DefinitionReader(computedTraits);
        if (!file.getFileName().toString().endsWith(".json")) {
            return readYaml(file, DefinitionSchemas.SEGMENT, reader::segment).value();
        }
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            return read(file.toString(), parser, DefinitionSchemas.SEGMENT, reader::segment).value();
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + at(e.getLocation()) + ": not valid JSON: "
                    + YamlFiles.oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** Reads every definition of {@code jobDir}, collecting every problem rather than stopping at the first. */
    static SegmentCatalog.Validation validate(Path jobDir) {
        if (!Files.isDirectory(jobDir)) {
            return new SegmentCatalog.Validation(null, List.of(jobDir + ": not a job directory"));
        }
        List<String> errors = new ArrayList<>();
        List<ComputedTraitDefinition> traits = List.of();
        Path traitsFile = jobDir.resolve(SegmentCatalog.COMPUTED_TRAITS_FILE);
        if (Files.exists(traitsFile)) {
            try {
                DefinitionReader traitsReader = new DefinitionReader(null);
                traits = readYaml(traitsFile, DefinitionSchemas.COMPUTED_TRAITS, traitsReader::computedTraits).value();
            } catch (ConfigException e) {
                errors.add(e.getMessage());
            }
        }
        // With a broken computed-traits file, names cannot be checked: better no check than one error per use.
        Set<String> names = errors.isEmpty()
                ? traits.stream().map(ComputedTraitDefinition::name).collect(Collectors.toSet()) : null;
        DefinitionReader reader = new DefinitionReader(names);
        List<SegmentDefinition> segments = new ArrayList<>();
        Map<String, Path> definedIn = new HashMap<>();
        for (Path file : segmentFiles(jobDir, errors)) {
            try {
                Parsed<SegmentDefinition> parsed = readYaml(file, DefinitionSchemas.SEGMENT, reader::segment);
                SegmentDefinition segment = parsed.value();
                Path first = definedIn.putIfAbsent(segment.id(), file);
                if (first != null) {
                    errors.add(parsed.doc().at("id") + ", field 'id': '" + segment.id() + "' is already defined in "
                            + first);
                } else {
                    segments.add(segment);
                }
            } catch (ConfigException e) {
                errors.add(e.getMessage());
            }
        }
        return new SegmentCatalog.Validation(errors.isEmpty() ? new SegmentCatalog(segments, traits) : null, errors);
    }

    private static List<Path> segmentFiles(Path jobDir, List<String> errors) {
        Path dir = jobDir.resolve(SegmentCatalog.SEGMENTS_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            errors.add(dir + ": cannot be read: " + e.getMessage());
            return List.of();
        }
    }

    private static <T> Parsed<T> readYaml(Path file, JsonSchema schema, Function<JsonNode, T> reader) {
        try (JsonParser parser = YAML.createParser(file.toFile())) {
            return read(file.toString(), parser, schema, reader);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + at(e.getLocation()) + ": not valid YAML: "
                    + YamlFiles.oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /**
     * The reader's first problem, or else every schema problem. The reader runs first because its messages are
     * written for people; a document it accepts but the schema rejects means the two drifted apart.
     */
    private static <T> Parsed<T> read(String source, JsonParser parser, JsonSchema schema, Function<JsonNode, T> reader)
            throws IOException {
        SourceDocument doc = SourceDocument.read(source, parser);
        T value;
        try {
            value = reader.apply(doc.root());
        } catch (ConfigException e) {
            throw new ConfigException(doc.describe(e));
        }
        List<ConfigException> problems = DefinitionSchemas.problems(schema, doc.root());
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream().map(doc::describe).collect(Collectors.joining("; ")));
        }
        return new Parsed<>(value, doc);
    }

    /** A definition and its document, whose lines are needed for problems found across files (duplicate ids). */
    private record Parsed<T>(T value, SourceDocument doc) {}

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }
}
