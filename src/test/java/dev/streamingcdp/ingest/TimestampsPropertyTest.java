package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-read common shape against the formatter, the contract: on text near that shape (fields in and out of
 * range, every offset form, fractions of 0 to 10 digits), whatever the fast path reads the formatter reads the same,
 * and the fast path takes every well-formed timestamp (else the job would pay for the formatter after all).
 */
class TimestampsPropertyTest {

    @Property(tries = 5000)
    void theFastPathReadsWhatTheFormatterReads(@ForAll("nearlyTimestamps") Candidate c) {
        Instant fast = Timestamps.common(c.text());
        Instant formatter = viaFormatter(c.text());
        if (fast != null) {
            assertThat(fast).isEqualTo(formatter);
        }
        if (c.wellFormed()) {
            assertThat(fast).as("fast path for %s", c.text()).isNotNull();
        }
    }

    record Candidate(String text, boolean wellFormed) {}

    private static Instant viaFormatter(String text) {
        try {
            return OffsetDateTime.parse(text, Timestamps.ISO_WITH_OFFSET).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Provide
    Arbitrary<Candidate> nearlyTimestamps() {
        Arbitrary<int[]> fields = Combinators.combine(
                Arbitraries.integers().between(1990, 2110), Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 32), Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 60))
                .as((y, mo, d, h, mi, s) -> new int[] {y, mo, d, h, mi, s});
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(10)
                .map(f -> f.isEmpty() ? "" : "." + f).injectDuplicates(0.1).edgeCases(e -> e.add("."));
        Arbitrary<String> offset = Arbitraries.of(List.of("Z", "z", "+02:00", "-05:30", "+0200", "-0000", "+00:00",
                "+14:30", "+17:59", "+18:00", "+19:00", "+02", "+2:00", "+02:60", "", " ", "Z ", "+02:00:00"));
        return Combinators.combine(fields, fraction, offset).as((f, fr, off) -> {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", f[0], f[1], f[2], f[3], f[4], f[5], fr, off);
            boolean inRange = f[1] >= 1 && f[1] <= 12 && f[2] >= 1 && f[2] <= 28 && f[3] <= 23 && f[4] <= 59
                    && f[5] <= 59;
            boolean fractionOk = fr.isEmpty() || (fr.length() >= 2 && fr.length() <= 10);
            boolean offsetOk = List.of("Z", "+02:00", "-05:30", "+0200", "-0000", "+00:00", "+14:30", "+17:59")
                    .contains(off);
            return new Candidate(text, inRange && fractionOk && offsetOk);
        });
    }
}
