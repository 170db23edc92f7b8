package dev.streamingcdp.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.ConfigException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML or JSON document as a Jackson tree plus the line of every field, so that problems found after parsing (by
 * the schema or by the semantic checks) can still name the line. Paths are written {@code condition.all[1].within}.
 */
final class SourceDocument {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String source;
    private final Map<String, Integer> lines = new HashMap<>();
    private JsonNode root;

    private SourceDocument(String source) {
        this.source = source;
    }

    /** Reads the first document from {@code parser}; a duplicate key is a one-line {@link ConfigException}. */
    static SourceDocument read(String source, JsonParser parser) throws IOException {
        SourceDocument doc = new SourceDocument(source);
        if (parser.nextToken() == null) {
            throw new ConfigException(source + ": the document is empty");
        }
        doc.root = doc.value(parser, "");
        return doc;
    }

    JsonNode root() {
        return root;
    }

    /** "{@code <source> line <n>}" for the field at {@code path}, or for its nearest ancestor with a known line. */
    String at(String path) {
        String p = path == null ? "" : path;
        while (!lines.containsKey(p) && !p.isEmpty()) {
            p = parent(p);
        }
        Integer line = lines.get(p);
        return line == null || line < 1 ? source : source + " line " + line;
    }

    /** The one-line message for a problem found at {@code e.field()}. */
    String describe(ConfigException e) {
        return at(e.field()) + ", " + e.getMessage();
    }

    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private JsonNode value(JsonParser p, String path) throws IOException {
        lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String field = child(path, name);
                    lines.put(field, p.currentTokenLocation().getLineNr());
                    if (object.has(name)) {
                        throw new ConfigException(at(field) + ", field '" + field + "': appears twice");
                    }
                    p.nextToken();
                    object.set(name, value(p, field));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(p, path + "[" + array.size() + "]"));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new ConfigException(at(path) + ", field '" + path + "': unexpected " + token);
        }
    }
}
