package dev.streamingcdp.activation;

import dev.streamingcdp.activation.Destinations.Destination;
import dev.streamingcdp.activation.Destinations.IdentifierMode;
import dev.streamingcdp.model.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The identifiers a destination receives: only the namespaces it lists, raw or as SHA-256 of the normalised value. */
public final class IdentifierMapping {

    private IdentifierMapping() {}

    /** namespace (or namespace_sha256) -> sorted values. */
    public static Map<String, List<String>> map(Destination d, Collection<Identifier> identifiers) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Identifier x : identifiers) {
            IdentifierMode mode = d.identifiers().get(x.getNamespace());
            if (mode == null) {
                continue;
            }
            String name = mode == IdentifierMode.SHA256 ? x.getNamespace() + "_sha256" : x.getNamespace();
            String value = mode == IdentifierMode.SHA256 ? sha256(x.getValue()) : x.getValue();
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        out.values().forEach(values -> values.sort(null));
        return out;
    }

    public static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
