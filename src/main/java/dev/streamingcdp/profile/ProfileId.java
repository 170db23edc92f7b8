package dev.streamingcdp.profile;

import dev.streamingcdp.model.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Profile ids derive from the label only, so a replay yields the same ids; hashed, so no personal data in clear. */
public final class ProfileId {

    private ProfileId() {}

    /** "p-" + the first 24 hex characters (96 bits) of SHA-256 of namespace:value. */
    public static String of(Identifier label) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(ProfileLogic.key(label).getBytes(StandardCharsets.UTF_8));
            return "p-" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
