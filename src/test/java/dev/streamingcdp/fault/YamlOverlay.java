package dev.streamingcdp.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** A configuration file with a test's changes merged over it (maps merge key by key, anything else replaces). */
final class YamlOverlay {

    private static final YAMLMapper YAML = new YAMLMapper();

    private YamlOverlay() {}

    /** Writes {@code base} with the classpath resource {@code overlay} and {@code extra} merged over it to {@code to}. */
    static void write(Path base, String overlay, Map<String, Object> extra, Path to) {
        try (InputStream changes = YamlOverlay.class.getResourceAsStream(overlay)) {
            if (changes == null) {
                throw new IllegalStateException("no test resource " + overlay);
            }
            ObjectNode merged = (ObjectNode) YAML.readTree(base.toFile());
            merge(merged, YAML.readTree(changes));
            merge(merged, YAML.valueToTree(extra));
            YAML.writeValue(to.toFile(), merged);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode into, JsonNode changes) {
        changes.fields().forEachRemaining(f -> {
            JsonNode mine = into.get(f.getKey());
            if (mine instanceof ObjectNode m && f.getValue() instanceof ObjectNode) {
                merge(m, f.getValue());
            } else {
                into.set(f.getKey(), f.getValue());
            }
        });
    }
}
