package dev.streamingcdp.ingest;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** E-mail identifiers: trimmed and lower-cased, so " Jane.Doe@Example.COM " and "jane.doe@example.com" link. */
public final class Emails {

    private static final Pattern SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private Emails() {}

    /** The normalised address, or empty when the value cannot be an address. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String email = raw.trim().toLowerCase(Locale.ROOT);
        return SHAPE.matcher(email).matches() ? Optional.of(email) : Optional.empty();
    }
}
