package dev.streamingcdp.ingest;

import static dev.streamingcdp.ingest.RejectReason.Origin.EVENTS_AVRO;
import static dev.streamingcdp.ingest.RejectReason.Origin.EVENTS_JSON;
import static dev.streamingcdp.ingest.RejectReason.Origin.PRIVACY_REQUESTS;
import static dev.streamingcdp.ingest.RejectReason.Origin.SEGMENT_CONTROL;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Why an input record went to the dead-letter topic: the one table of reasons (code, meaning, which input topics can
 * produce it). The lower-case code is the contract (DLQ field, metrics); README's dead-letter table is checked
 * against this one by a test.
 */
public enum RejectReason {
    BAD_UTF8("bytes that are not valid UTF-8", EVENTS_JSON),
    BAD_JSON("not parseable as JSON, or not a JSON object", EVENTS_JSON),
    BAD_AVRO("not an Avro single-object-encoded SegmentEvent", EVENTS_AVRO),
    TOO_LARGE("over ingest.maxPayloadBytes (not parsed), or a trait, consent purpose or identifier over its bound",
            EVENTS_JSON, EVENTS_AVRO),
    WRONG_TYPE("a known field with the wrong JSON type (e.g. traits as a string)", EVENTS_JSON),
    MISSING_TYPE("no type", EVENTS_JSON, EVENTS_AVRO),
    UNKNOWN_TYPE("a type that is not identify, track, page, screen, alias or group", EVENTS_JSON, EVENTS_AVRO),
    MISSING_FIELD("a field the event type requires is absent (messageId, timestamp, event, previousId ...)",
            EVENTS_JSON, EVENTS_AVRO),
    BAD_TIMESTAMP("unparseable, without a zone offset, outside the accepted range or too far ahead",
            EVENTS_JSON, EVENTS_AVRO),
    NO_IDENTIFIER("no identifier that survives normalisation and the identity rules' blocked values",
            EVENTS_JSON, EVENTS_AVRO),
    BAD_SEGMENT("a segment control record that is not a valid, newer definition or deletion (the running ones stay)",
            SEGMENT_CONTROL),
    BAD_REQUEST("a privacy request that is not valid JSON of the request contract, or whose identifier does not "
            + "normalise", PRIVACY_REQUESTS),
    SUPPRESSED("an event carrying an identifier on the suppression list (erased or suppressed), or reaching an erased "
            + "profile while in flight; payload withheld", EVENTS_JSON, EVENTS_AVRO);

    /** The kinds of input topic a dead letter can come from. */
    public enum Origin {
        EVENTS_JSON("events (JSON)"),
        EVENTS_AVRO("events (Avro)"),
        SEGMENT_CONTROL("segment control"),
        PRIVACY_REQUESTS("privacy requests");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String meaning;
    private final Set<Origin> origins;

    RejectReason(String meaning, Origin first, Origin... rest) {
        this.meaning = meaning;
        this.origins = EnumSet.of(first, rest);
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String meaning() {
        return meaning;
    }

    /** Which input topics can produce this reason. */
    public Set<Origin> origins() {
        return EnumSet.copyOf(origins);
    }

    /** Whether the dead letter keeps the record's payload (false: withheld, it is personal data). */
    public boolean keepsPayload() {
        return this != SUPPRESSED;
    }
}
