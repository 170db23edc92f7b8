package dev.streamingcdp.config;

/** A bad configuration file or field: the job does not start, and the message says which file and field. */
public class ConfigException extends RuntimeException {

    private final String field;

    public ConfigException(String message) {
        super(message);
        this.field = null;
    }

    private ConfigException(String field, String problem, boolean marker) {
        super("field '" + field + "': " + problem);
        this.field = field;
    }

    /** A semantic problem with one field, found after parsing; {@link YamlFiles} prefixes the file. */
    public static ConfigException field(String field, String problem) {
        return new ConfigException(field, problem, true);
    }

    /** The dotted path of the offending field, or null when the problem is the whole file. */
    public String field() {
        return field;
    }
}
