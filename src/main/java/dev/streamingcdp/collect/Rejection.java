package dev.streamingcdp.collect;

/**
 * A request the collector refuses, with the HTTP status and a short machine-readable reason (the metrics label and the
 * JSON answer's "error"); the message says what to fix and never echoes event data.
 */
public final class Rejection extends Exception {

    private final int status;
    private final String reason;

    public Rejection(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    /** A 400: the SDKs drop the request instead of retrying it. */
    public static Rejection badRequest(String reason, String message) {
        return new Rejection(400, reason, message);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
