package dev.streamingcdp.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.SegmentDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A segment definition file as the control topic carries it: checked by the loader the job uses (file, line and
 * field in every problem), then the same document as compact JSON. Comments and YAML layout are dropped.
 */
record SegmentDocument(Path file, SegmentDefinition definition, String json) {

    // Exact numbers, as the loader reads them: 2.50 stays 2.50, so the job reads the definition that was checked.
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /**
     * Reads {@code file} (JSON when it ends in .json, else YAML); a problem is a one-line {@link ConfigException}.
     * {@code destinations}: the job's destination names, which the definition's must be among (empty: no check, the
     * job has no destinations.yaml), as the job checks them.
     */
    static SegmentDocument read(Path file, SegmentCatalog catalog, Set<String> destinations) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": file not found");
        }
        SegmentDefinition definition = SegmentDefinition.fromFile(file, catalog.computedTraitNames());
        boolean json = file.getFileName().toString().endsWith(".json");
        List<String> targets = definition.destinations();
        for (int i = 0; i < targets.size(); i++) {
            if (!destinations.isEmpty() && !destinations.contains(targets.get(i))) {
                String field = "destinations[" + i + "]";
                throw new ConfigException(file + line(file, json, i) + ", field '" + field + "': '" + targets.get(i)
                        + "' is not a destination of this job (" + String.join(", ", new TreeSet<>(destinations))
                        + ")");
            }
        }
        List<JsonNode> documents = documents(file, json ? JSON : YAML);
        if (documents.size() != 1) {
            throw new ConfigException(file + ": holds " + documents.size() + " documents; write one definition per "
                    + "file");
        }
        String text;
        try {
            text = JSON.writeValueAsString(documents.get(0));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        // The job reads this text, not the file: it must be the same definition, or the conversion has a bug.
        if (!catalog.definitionFromJson(text).equals(definition)) {
            throw new IllegalStateException(file + ": the JSON form differs from the file: " + text);
        }
        return new SegmentDocument(file, definition, text);
    }

    /** " line n" of the {@code index}-th destination, or "" if the file does not say (the loader has read it). */
    private static String line(Path file, boolean json, int index) {
        try (JsonParser p = (json ? JSON : YAML).getFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean destinations = "destinations".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (!destinations || value != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                    if (i == index) {
                        return " line " + p.currentTokenLocation().getLineNr();
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // no line then; the problem itself is still reported
        }
        return "";
    }

    private static List<JsonNode> documents(Path file, ObjectMapper mapper) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    documents.add(doc);
                }
            }
        } catch (IOException e) {
            // The loader has read the first document already, so this is about a later one.
            throw new ConfigException(file + ": cannot be read after the first document: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        return documents;
    }
}
