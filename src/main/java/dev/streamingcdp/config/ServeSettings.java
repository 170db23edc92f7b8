package dev.streamingcdp.config;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * job.yaml {@code serve:}: the Profile API ({@code bin/cdp serve}). Each of {@code apiKeys} is a read key, written
 * as {@code env:NAME} (the key is in that environment variable) or {@code sha256:<64 hex digits>} (the SHA-256 of
 * the key, so the file holds no key). These are read keys, kept apart from the collector's write keys.
 */
public record ServeSettings(String host, Integer port, List<String> apiKeys) implements Serializable {

    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    public ServeSettings {
        host = host != null ? host : "127.0.0.1";
        port = port != null ? port : 8090;
        apiKeys = apiKeys != null ? List.copyOf(apiKeys) : List.of();
    }

    void check() {
        if (port < 0 || port > 65535) {
            throw ConfigException.field("serve.port", "must be a port number, was " + port);
        }
        for (int i = 0; i < apiKeys.size(); i++) {
            String key = apiKeys.get(i);
            String field = "serve.apiKeys[" + i + "]";
            if (key == null || !(key.startsWith("env:") || SHA256.matcher(key).matches())) {
                throw ConfigException.field(field,
                        "must be env:NAME or sha256:<64 lower-case hex digits> (never the key itself)");
            }
            if (Secrets.resolve(field, key).isEmpty()) {
                throw ConfigException.field(field, "the key must not be empty");
            }
        }
    }
}
