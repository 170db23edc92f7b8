package dev.streamingcdp.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The A/B steps file: one JSON line per labelled throughput run (`bin/bench --throughput-only --label NAME`), so the
 * report can say what each change to the job bought against the run before it.
 */
final class AbSteps {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private AbSteps() {}

    /** One labelled run: steady rates, their ratio and the measured drain's CPU per 1,000 events. */
    record Row(String label, String commit, String date, long warmupRecords, long records, double fullEventsPerSecond,
            double baselineEventsPerSecond, double ratio, double jobCpuMsPer1000, double brokerCpuMsPer1000) {

        static Row of(String label, String commit, String date, Results.Throughput baseline, Results.Throughput full) {
            return new Row(label, commit, date, full.warmupRecords(), full.records(), full.steadyEventsPerSecond(),
                    baseline.steadyEventsPerSecond(), full.steadyEventsPerSecond() / baseline.steadyEventsPerSecond(),
                    full.jobCpuMsPer1000(), full.brokerCpuMsPer1000());
        }
    }

    static void append(Path file, Row row) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The rows in the order they were run; none when the file does not exist. A bad line names file and line. */
    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                rows.add(JSON.readValue(lines.get(i), Row.class));
            } catch (JsonProcessingException e) {
                throw new IOException(file + " line " + (i + 1) + ": not an A/B row: " + e.getOriginalMessage(), e);
            }
        }
        return rows;
    }

    /** The Markdown table, each row with its change against the one above (what that step bought). */
    static String table(List<Row> rows) {
        StringBuilder md = new StringBuilder("| step | commit | date | warm-up + measured records | full (events/s) |"
                + " baseline (events/s) | full / baseline | change | job CPU-ms per 1,000 events | change |"
                + " broker CPU-ms per 1,000 events |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        Row previous = null;
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %,d + %,d | %,.0f | %,.0f | %.2f x | %s | %,.0f |"
                    + " %s | %,.0f |%n", r.label().replace("|", "\\|"), r.commit(), r.date(), r.warmupRecords(),
                    r.records() - r.warmupRecords(), r.fullEventsPerSecond(), r.baselineEventsPerSecond(), r.ratio(),
                    previous == null ? "–" : change(r.ratio(), previous.ratio()), r.jobCpuMsPer1000(),
                    previous == null ? "–" : change(r.jobCpuMsPer1000(), previous.jobCpuMsPer1000()),
                    r.brokerCpuMsPer1000()));
            previous = r;
        }
        return md.toString();
    }

    private static String change(double now, double before) {
        return String.format(Locale.ROOT, "%+.0f %%", 100 * (now / before - 1));
    }
}
