package dev.streamingcdp.store.api;

import dev.streamingcdp.config.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The read keys of job.yaml {@code serve.apiKeys}, kept as SHA-256 hashes only. A request carries its key as
 * {@code Authorization: Bearer KEY} or as HTTP Basic with the key as user name (the password is ignored) or as
 * password.
 */
final class ApiKeys {

    private final List<byte[]> hashes;

    ApiKeys(List<String> configured) {
        this.hashes = configured.stream().map(k -> k.startsWith("sha256:")
                ? HexFormat.of().parseHex(k.substring(7))
                : sha256(Secrets.resolve("serve.apiKeys", k))).toList();
    }

    boolean allows(String authorization) {
        if (authorization == null) {
            return false;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return known(authorization.substring(7).trim());
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? known(decoded)
                    : known(decoded.substring(0, colon)) || known(decoded.substring(colon + 1));
        }
        return false;
    }

    private boolean known(String key) {
        if (key.isEmpty()) {
            return false;
        }
        byte[] hash = sha256(key);
        boolean found = false;
        for (byte[] h : hashes) {
            found |= MessageDigest.isEqual(h, hash); // no early exit: the time does not tell which key is close
        }
        return found;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
