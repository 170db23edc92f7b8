package dev.streamingcdp.simulator;

import java.util.Locale;

/**
 * Why the job must reject a malformed record. The codes are the job's dead-letter reason codes, so a test can match
 * what the simulator broke with what the job reported, one to one.
 */
public enum RejectCode {
    BAD_UTF8, BAD_JSON, BAD_AVRO, TOO_LARGE, WRONG_TYPE, MISSING_TYPE, UNKNOWN_TYPE, MISSING_FIELD, BAD_TIMESTAMP,
    NO_IDENTIFIER;

    /** The code as the dead-letter topic writes it, e.g. {@code bad_utf8}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
