package dev.streamingcdp.ingest;

import java.util.Locale;

/** Why an input record went to the dead-letter topic. The lower-case code is the contract (DLQ field, metrics). */
public enum RejectReason {
    /** Bytes that are not valid UTF-8 on a JSON topic. */
    BAD_UTF8,
    /** Not parseable as JSON, or not a JSON object. */
    BAD_JSON,
    /** Not an Avro single-object-encoded SegmentEvent. */
    BAD_AVRO,
    /** Larger than ingest.maxPayloadBytes; not parsed at all. */
    TOO_LARGE,
    /** A known field with the wrong JSON type (e.g. traits as a string). */
    WRONG_TYPE,
    MISSING_TYPE,
    UNKNOWN_TYPE,
    /** A field the event type requires is absent (messageId, timestamp, event, previousId ...). */
    MISSING_FIELD,
    /** Unparseable, without a zone offset, or outside the accepted range. */
    BAD_TIMESTAMP,
    /** No identifier that survives normalisation. */
    NO_IDENTIFIER,
    /** A segment control record that is not a valid, newer definition or deletion; the running ones stay. */
    BAD_SEGMENT,
    /** A privacy request that is not valid JSON of the request contract, or whose identifier does not normalise. */
    BAD_REQUEST,
    /** An event carrying an identifier on the suppression list (erased or suppressed): it is not processed. */
    SUPPRESSED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
