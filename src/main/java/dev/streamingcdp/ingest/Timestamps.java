package dev.streamingcdp.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/** Event timestamps: ISO-8601 with a zone offset (Z, +02:00 or +0200), to UTC instants. */
public final class Timestamps {

    /** Sanity bounds: anything outside is a broken clock or a fuzzer, and would wreck event-time windows. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private static final DateTimeFormatter ISO_WITH_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private Timestamps() {}

    /** The instant, or a {@link RejectException} with reason bad_timestamp that says what is wrong. */
    public static Instant parse(String text) throws RejectException {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text.trim(), ISO_WITH_OFFSET).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectException(RejectReason.BAD_TIMESTAMP,
                    "'" + abbreviate(text) + "' is not ISO-8601 with a zone offset (e.g. 2026-11-23T10:15:00Z)");
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new RejectException(RejectReason.BAD_TIMESTAMP,
                    "'" + abbreviate(text) + "' is outside " + EARLIEST + " .. " + LATEST);
        }
        return instant;
    }

    /**
     * Whether an event time is more than {@code maxAheadMillis} ahead of its Kafka record's timestamp (when the
     * producer wrote it). A record without a timestamp (0 or negative) is never too far ahead.
     */
    public static boolean tooFarAhead(long eventTime, long kafkaTimestamp, long maxAheadMillis) {
        return kafkaTimestamp > 0 && eventTime > kafkaTimestamp + maxAheadMillis;
    }

    /** Event time for watermarks, or Long.MIN_VALUE (never advances a watermark) when the record has none. */
    public static long eventTimeOrMin(String text) {
        try {
            return text == null ? Long.MIN_VALUE : parse(text).toEpochMilli();
        } catch (RejectException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
