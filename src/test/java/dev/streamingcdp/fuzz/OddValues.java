package dev.streamingcdp.fuzz;

import java.util.List;
import java.util.Random;

/** The odd values the mutators draw from: strings that break naive text handling, and timestamps at the edges. */
final class OddValues {

    /** Text a client, a proxy or a legacy system may really send, each breaking some naive assumption. */
    static final List<String> UNICODE = List.of(
            "\uD800", "\uDFFF", "a\uDC00b", "\uDC00\uD800",                    // lone and reversed surrogates
            "\u202Eevil\u202C", "\u05E9\u05DC\u05D5\u05DD", "\u0645\u0631\u062D\u0628\u0627", // RTL override, Hebrew, Arabic
            "\u200B", "a\u200Db", "\u2060", "\uFEFF", "\u00A0",                // zero-width, BOM, no-break space
            "\u0000", "nul\u0000inside", "\u0001\u001F\u007F",                 // NUL and control characters
            "\uFFFF", "\uFFFE", "\uFFFD",                                      // non-characters, replacement char
            "\uD83D\uDE00", "\uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDE80", "\uD83C\uDDE9\uD83C\uDDEA", // emoji, ZWJ, flag
            "e\u0301", "\u00E9", "\uFB01", "\u0130", "\u00DF", "\u2126",       // unnormalised forms, case oddities
            "Z\u0351\u0364\u0300\u0316\u0317a\u0489l\u0338g\u0347o",            // combining marks
            "\u2028\u2029", "\r\n\t", "\\\"'<>&", "${jndi:ldap://x}", "%s%n%x",  // separators, escapes, injections
            "\uFF21\uFF22\uFF23", "\u3000", "\uDB40\uDC01",                     // full-width, ideographic space, tag char
            "\uD834\uDD1E", "\u0D9E\u0DCA\u200D\u0DBB\u0DD3");                  // astral plane, Sinhala conjunct

    /** Values that are blank to Java's String.isBlank(): a missing id in disguise. */
    static final List<String> BLANK = List.of("", " ", "\t\r\n", "\u3000", "\u2003", "   \u2028");

    /** Values that look empty to a person but are not blank to Java: they are (odd) identifiers. */
    static final List<String> NEARLY_BLANK = List.of("\u200B", "\u00A0", "\uFEFF", "0", "null", "undefined", "-");

    /** Timestamps at and beyond the edges: out of range, without zone, not ISO, overflowing, too precise. */
    static final List<String> TIMESTAMPS = List.of(
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "-000001-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1999-12-31T23:59:59.999999999Z",
            "2000-01-01T00:00:00+14:00", "2000-01-01T00:00:00-12:00", "2099-12-31T23:59:59.999999999Z",
            "2099-12-31T23:59:59-18:00", "2100-01-01T00:00:00Z", "2026-11-23T10:15:00.123456789Z",
            "2026-11-23T10:15:00.1234567891Z", "2026-11-23T10:15:00", "2026-11-23 10:15:00Z", "2026-11-23",
            "2026-11-23T10:15:00+25:00", "2026-11-23T10:15:00+1:00", "2026-02-30T00:00:00Z",
            "2026-11-23T24:00:00Z", "2026-11-23T23:59:60Z", "2026-11-23T10:15:00z", "2026-11-23t10:15:00Z",
            "2026-11-23T10:15:00Z[Europe/Paris]", "2026-W48-1T10:15:00Z", "2026-327T10:15:00Z",
            "Mon, 23 Nov 2026 10:15:00 GMT", "1732356900", "1732356900000", "-1", "9223372036854775807",
            "\u0662\u0660\u0662\u0666-11-23T10:15:00Z", " 2026-11-23T10:15:00Z ", "2026-11-23T10:15:00\u0000Z",
            "", " ", "yesterday", "2026-11-23T10:15:00.Z", "+2026-11-23T10:15:00Z", "2026-11-23T10:15:00+02:00:30",
            "2026-11-23T10:15:00+0200", "2026-11-23T10:15:00-00:00", "2026-11-23T10:15:00.000000000001Z");

    /** Byte sequences that are never valid UTF-8. */
    static final List<byte[]> INVALID_UTF8 = List.of(
            bytes(0xC3, 0x28), bytes(0x80), bytes(0xBF), bytes(0xFF), bytes(0xFE), bytes(0xC0, 0xAF),
            bytes(0xE0, 0x80, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), bytes(0xF0, 0x9F, 0x98),
            bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0xE2, 0x82),
            bytes(0xC3), bytes(0xF0, 0x80, 0x80, 0x80));

    private OddValues() {}

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** One to three odd strings, sometimes wrapped in ordinary text. */
    static String unicode(Random random) {
        StringBuilder s = new StringBuilder();
        if (random.nextBoolean()) {
            s.append("x");
        }
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            s.append(pick(random, UNICODE));
        }
        return s.toString();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
