package dev.streamingcdp.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads a YAML configuration file into a record type. Every problem becomes one {@link ConfigException} line that names
 * the file, the line and the field, so an operator can fix it without reading a stack trace.
 */
public final class YamlFiles {

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .addModule(new SimpleModule().addDeserializer(Duration.class, new Durations.Deserializer()))
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private YamlFiles() {}

    /** Reads {@code file} as {@code type}, then runs {@code check} on the result (semantic validation). */
    public static <T> T read(Path file, Class<T> type, Consumer<T> check) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": file not found");
        }
        T value;
        try {
            value = MAPPER.readValue(file.toFile(), type);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found");
        } catch (JsonMappingException e) {
            throw new ConfigException(file + describe(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + at(e.getLocation()) + ": not valid YAML: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        if (value == null) {
            throw new ConfigException(file + ": the file is empty");
        }
        try {
            check.accept(value);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
        return value;
    }

    private static String describe(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String where = at(e.getLocation()) + (field.isEmpty() ? "" : ", field '" + field + "'");
        String problem;
        if (e instanceof UnrecognizedPropertyException u) {
            problem = "unknown field '" + u.getPropertyName() + "' (known: "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "))
                    + ")";
        } else if (e instanceof InvalidFormatException f) {
            problem = "'" + f.getValue() + "' is not a valid " + simpleName(f.getTargetType());
        } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            problem = v.getCause().getMessage();
        } else if (e instanceof MismatchedInputException m && m.getOriginalMessage().startsWith("Missing required")) {
            String name = m.getOriginalMessage().replaceAll(".*'([^']*)'.*", "$1");
            String full = field.isEmpty() ? name : field.endsWith(name) ? field : field + "." + name;
            where = at(e.getLocation()) + ", field '" + full + "'";
            problem = "is required";
        } else if (e instanceof MismatchedInputException m) {
            problem = "wrong type" + (m.getTargetType() != null ? ", expected " + simpleName(m.getTargetType()) : "");
        } else {
            problem = e.getOriginalMessage();
        }
        return where + ": " + problem;
    }

    /** SnakeYAML explains over several lines with an indented snippet; keep its unindented sentences. */
    public static String oneLine(String message) {
        return message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining(": "));
    }

    private static String simpleName(Class<?> type) {
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder();
            for (Object c : type.getEnumConstants()) {
                values.append(values.length() == 0 ? "" : " | ").append(c);
            }
            return "value (one of " + values + ")";
        }
        return type == Duration.class ? "duration (e.g. 500ms, 30s, 10m, 2h, 7d)" : type.getSimpleName().toLowerCase();
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }
}
