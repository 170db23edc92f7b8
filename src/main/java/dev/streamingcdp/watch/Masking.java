package dev.streamingcdp.watch;

/** Shortens identifier values so that a shared screen shows which profile it is, but not whose. */
public final class Masking {

    private static final String STARS = "***";

    private Masking() {}

    /** jane@example.com → jan***@example.com: the domain stays, it tells the channel story. */
    public static String email(String value) {
        int at = value.lastIndexOf('@');
        if (at < 0) {
            return other(value);
        }
        String local = value.substring(0, at);
        return head(local, local.length() <= 3 ? 1 : 3) + STARS + value.substring(at);
    }

    /** +14155550123 → +14***23, a UUID → its first three and last two characters. */
    public static String other(String value) {
        if (value.length() <= 4) {
            return head(value, 1) + STARS;
        }
        String tail = value.length() >= 10 ? value.substring(value.length() - 2) : "";
        return head(value, 3) + STARS + tail;
    }

    public static String identifier(String namespace, String value) {
        return "email".equals(namespace) ? email(value) : other(value);
    }

    private static String head(String s, int n) {
        return s.substring(0, Math.min(n, s.length()));
    }
}
