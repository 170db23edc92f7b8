package dev.streamingcdp.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/** Event timestamps: ISO-8601 with a zone offset (Z, +02:00 or +0200), to UTC instants. */
public final class Timestamps {

    /** Sanity bounds: anything outside is a broken clock or a fuzzer, and would wreck event-time windows. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    /** The contract: what the formatter reads is a timestamp (package-private for the fast path's property test). */
    static final DateTimeFormatter ISO_WITH_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private Timestamps() {}

    /** The instant, or a {@link RejectException} with reason bad_timestamp that says what is wrong. */
    public static Instant parse(String text) throws RejectException {
        String trimmed = text.trim();
        Instant instant = common(trimmed);
        if (instant == null) {
            instant = formatted(text, trimmed);
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new RejectException(RejectReason.BAD_TIMESTAMP,
                    "'" + abbreviate(text) + "' is outside " + EARLIEST + " .. " + LATEST);
        }
        return instant;
    }

    private static Instant formatted(String text, String trimmed) throws RejectException {
        try {
            return OffsetDateTime.parse(trimmed, ISO_WITH_OFFSET).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectException(RejectReason.BAD_TIMESTAMP,
                    "'" + abbreviate(text) + "' is not ISO-8601 with a zone offset (e.g. 2026-11-23T10:15:00Z)");
        }
    }

    /**
     * The shape nearly every event has, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|+HHMM)} with every field in
     * range, read without the formatter (which cost three parses per event several percent of the job's CPU);
     * null for anything else, which then goes to the formatter: its errors and its lenient cases stay the contract.
     */
    static Instant common(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19, nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i++) - '0');
            }
            if (i == start || (i < n && isDigit(s.charAt(i)))) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offset = offsetSeconds(s, i);
        if (offset == Integer.MIN_VALUE) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(LocalDateTime.of(year, month, day, hour, minute, second)
                    .toEpochSecond(ZoneOffset.ofTotalSeconds(offset)), nanos);
        } catch (DateTimeException e) { // a field out of range (e.g. 02-30): the formatter resolves or rejects it
            return null;
        }
    }

    /** Z, +HH:MM or +HHMM ending the text at {@code i}, in seconds; MIN_VALUE if it is none of those. */
    private static int offsetSeconds(String s, int i) {
        int rest = s.length() - i;
        if (rest == 1 && s.charAt(i) == 'Z') {
            return 0;
        }
        if (rest != 5 && rest != 6) {
            return Integer.MIN_VALUE;
        }
        char sign = s.charAt(i);
        int hours = digits(s, i + 1, 2);
        int minutes = rest == 6 && s.charAt(i + 3) == ':' ? digits(s, i + 4, 2)
                : rest == 5 ? digits(s, i + 3, 2) : -1;
        if ((sign != '+' && sign != '-') || hours < 0 || minutes < 0 || hours > 17 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        int seconds = hours * 3600 + minutes * 60;
        return sign == '-' ? -seconds : seconds;
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
