package dev.streamingcdp.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.streamingcdp.config.ConfigException;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON Schemas in schemas/ (on the classpath at /schemas), which editors use too. Every document is validated
 * against them as well as read by {@link DefinitionReader}, so the schema and the code cannot drift apart unnoticed.
 */
final class DefinitionSchemas {

    /** The schemas' $id prefix; mapped to the classpath so that validation never fetches anything. */
    private static final String ID_PREFIX = "https://streaming-cdp.dev/schemas/";

    static final JsonSchema SEGMENT = load("segment-definition.schema.json");
    static final JsonSchema COMPUTED_TRAITS = load("computed-traits.schema.json");

    private DefinitionSchemas() {}

    /** The schema's complaints about {@code document}, as field problems in document order. */
    static List<ConfigException> problems(JsonSchema schema, JsonNode document) {
        return schema.validate(document).stream()
                .sorted(Comparator.comparing(ValidationMessage::getInstanceLocation))
                .map(DefinitionSchemas::problem)
                .toList();
    }

    private static ConfigException problem(ValidationMessage m) {
        String path = path(m.getInstanceLocation());
        return switch (m.getType()) {
            case "required" -> ConfigException.field(SourceDocument.child(path, m.getProperty()), "is required");
            case "additionalProperties" -> ConfigException.field(SourceDocument.child(path, m.getProperty()),
                    "unknown field '" + m.getProperty() + "'");
            default -> ConfigException.field(path, m.getError());
        };
    }

    private static String path(JsonNodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    private static JsonSchema load(String name) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                        b -> b.schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:schemas/")))
                .getSchema(SchemaLocation.of(ID_PREFIX + name));
    }
}
