package dev.streamingcdp.config;

/** A configured secret: written as {@code env:NAME} it is read from the environment variable NAME, else as is. */
public final class Secrets {

    private Secrets() {}

    public static String resolve(String field, String configured) {
        if (configured == null || !configured.startsWith("env:")) {
            return configured;
        }
        String name = configured.substring(4);
        String value = System.getenv(name);
        if (value == null) {
            throw ConfigException.field(field, "environment variable " + name + " is not set");
        }
        return value;
    }
}
