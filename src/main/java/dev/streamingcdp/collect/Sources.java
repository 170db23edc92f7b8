package dev.streamingcdp.collect;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.YamlFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The sources that may send events (sources.yaml in the job directory), each with its write key, the channel stamped
 * on its events and the browser origins allowed to post. Keys are kept only as SHA-256 hashes, so a leaked
 * sources.yaml or heap dump shows no usable key.
 */
public final class Sources {

    public static final String FILE = "sources.yaml";

    /** The file's shape. */
    public record File(@JsonProperty(required = true) List<Source> sources) {}

    /**
     * One source. {@code writeKey} is {@code env:NAME} (the key is in that environment variable) or
     * {@code sha256:<64 hex digits>} (the hash of the key).
     */
    public record Source(
            @JsonProperty(required = true) String name,
            @JsonProperty(required = true) String channel,
            @JsonProperty(required = true) String writeKey,
            List<String> allowedOrigins) {

        public Source {
            allowedOrigins = allowedOrigins != null ? List.copyOf(allowedOrigins) : List.of();
        }

        /** Whether a browser page from {@code origin} may post with this source's key ("*" allows any). */
        public boolean allows(String origin) {
            return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
        }
    }

    private final Map<String, Source> byKeyHash;
    private final Set<String> allOrigins = new HashSet<>();

    private Sources(Map<String, Source> byKeyHash) {
        this.byKeyHash = byKeyHash;
        byKeyHash.values().forEach(s -> allOrigins.addAll(s.allowedOrigins()));
    }

    /** Reads {@code jobDir/sources.yaml}; {@code env} resolves {@code env:NAME} keys (System::getenv in production). */
    public static Sources load(Path jobDir, UnaryOperator<String> env) {
        Map<String, Source> byHash = new HashMap<>();
        YamlFiles.read(jobDir.resolve(FILE), File.class, file -> byHash.putAll(check(file, env)));
        return new Sources(byHash);
    }

    /** For tests and embedding: sources whose plain keys are given. */
    public static Sources of(Map<String, Source> byPlainKey) {
        Map<String, Source> byHash = new HashMap<>();
        byPlainKey.forEach((key, source) -> byHash.put(sha256(key), source));
        return new Sources(byHash);
    }

    /** The source whose key this is. */
    public Optional<Source> byWriteKey(String writeKey) {
        return writeKey == null || writeKey.isEmpty() ? Optional.empty()
                : Optional.ofNullable(byKeyHash.get(sha256(writeKey)));
    }

    /** Whether any source allows {@code origin}: a CORS preflight carries no key, so it is answered for all. */
    public boolean anyAllows(String origin) {
        return allOrigins.contains("*") || allOrigins.contains(origin);
    }

    private static Map<String, Source> check(File file, UnaryOperator<String> env) {
        if (file.sources() == null || file.sources().isEmpty()) {
            throw ConfigException.field("sources", "needs at least one source");
        }
        Map<String, Source> byHash = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < file.sources().size(); i++) {
            Source s = file.sources().get(i);
            String at = "sources[" + i + "]";
            if (s.name() == null || s.name().isBlank()) {
                throw ConfigException.field(at + ".name", "must not be blank");
            }
            if (!names.add(s.name())) {
                throw ConfigException.field(at + ".name", "'" + s.name() + "' is used by another source");
            }
            if (s.channel() == null || s.channel().isBlank()) {
                throw ConfigException.field(at + ".channel", "must not be blank");
            }
            for (String origin : s.allowedOrigins()) {
                if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                    throw ConfigException.field(at + ".allowedOrigins", "'" + origin
                            + "' is not an origin (scheme://host[:port], no path) or \"*\"");
                }
            }
            if (byHash.put(keyHash(s.writeKey(), at + ".writeKey", env), s) != null) {
                throw ConfigException.field(at + ".writeKey", "the same key as another source");
            }
        }
        return byHash;
    }

    private static String keyHash(String spec, String field, UnaryOperator<String> env) {
        if (spec.startsWith("sha256:")) {
            String hex = spec.substring("sha256:".length()).toLowerCase();
            if (!hex.matches("[0-9a-f]{64}")) {
                throw ConfigException.field(field, "sha256: must be followed by 64 hex digits");
            }
            return hex;
        }
        if (spec.startsWith("env:")) {
            String name = spec.substring("env:".length());
            String key = name.isEmpty() ? null : env.apply(name);
            if (key == null || key.isBlank()) {
                throw ConfigException.field(field, "environment variable '" + name + "' is not set");
            }
            return sha256(key);
        }
        throw ConfigException.field(field, "must be env:NAME or sha256:<hex> (a plain key does not belong in a file)");
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
