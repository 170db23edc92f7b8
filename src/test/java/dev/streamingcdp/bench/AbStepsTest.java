package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbStepsTest {

    private static final Results.Checkpoints CHECKPOINTS = new Results.Checkpoints(1, 0, 0, 0, 0, 0, List.of());
    private static final Results.Throughput BASELINE = new Results.Throughput("baseline", 300_000, 5, 40_000, 6, 2, 0,
            CHECKPOINTS, 0, 40_000, new Results.Cpu(6.0, 2.0, 5.0, 100), 100_000, 200_000);

    private static Results.Throughput full(double steady, double jobCpuSeconds) {
        return new Results.Throughput("full job", 300_000, 60, 5_000, 60, 2, 10_000, CHECKPOINTS, 0, steady,
                new Results.Cpu(jobCpuSeconds, 20.0, 40.0, 100), 100_000, 200_000);
    }

    @Test
    void rowTakesSteadyRatesRatioAndCpuPerThousandMeasuredEvents() {
        AbSteps.Row row = AbSteps.Row.of("profile cache", "abc123", "2026-12-07", BASELINE, full(4_000, 100.0));

        assertThat(row.ratio()).isEqualTo(0.1);
        // 100 CPU seconds over the 200,000 measured records, not the 300,000 preloaded
        assertThat(row.jobCpuMsPer1000()).isEqualTo(500.0);
        assertThat(row.brokerCpuMsPer1000()).isEqualTo(100.0);
    }

    @Test
    void appendedRowsRenderInOrderWithWhatEachStepBought(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("results/ab-steps.jsonl");
        AbSteps.append(file, AbSteps.Row.of("before", "aaa", "2026-12-07", BASELINE, full(4_000, 100.0)));
        AbSteps.append(file, AbSteps.Row.of("fewer hops | chained", "bbb", "2026-12-08", BASELINE, full(8_000, 50.0)));

        List<AbSteps.Row> rows = AbSteps.read(file);
        assertThat(rows).extracting(AbSteps.Row::label).containsExactly("before", "fewer hops | chained");
        assertThat(AbSteps.table(rows))
                .contains("| before | `aaa` | 2026-12-07 | 100,000 + 200,000 | 4,000 | 40,000 | 0.10 x | – | 500 | – | 100 |")
                .contains("| fewer hops \\| chained | `bbb` | 2026-12-08 | 100,000 + 200,000 | 8,000 | 40,000 | 0.20 x |"
                        + " +100 % | 250 | -50 % | 100 |");
    }

    @Test
    void noFileIsNoRowsAndABadLineNamesFileAndLine(@TempDir Path dir) throws IOException {
        assertThat(AbSteps.read(dir.resolve("none.jsonl"))).isEmpty();

        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "\n{not json\n");
        assertThatThrownBy(() -> AbSteps.read(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining(bad + " line 2: not an A/B row");
    }

    @Test
    void throughputReportHasTheRatioBothDrainsAndTheAbTable() {
        Results.Throughput full = full(4_000, 100.0);
        String md = ThroughputReport.report(new ReportWriter.Run("bin/bench --throughput-only", "2 cores", "1.0"),
                BASELINE, full, List.of(AbSteps.Row.of("now", "ccc", "2026-12-07", BASELINE, full)), null);

        assertThat(md).contains("bin/bench --throughput-only", "Steady full / baseline: **0.10 x** (target 0.5 x: missed")
                .contains("first 100,000 records of warm-up")
                .contains("| full job | 40.0 | 100.0 | 500 |")
                .contains("## A/B steps", "| now | `ccc` |")
                .doesNotContain("## Latency", "## Where the time goes");
        assertThat(ThroughputReport.report(new ReportWriter.Run("c", "m", "l"), BASELINE, full, List.of(), null))
                .doesNotContain("## A/B steps");
    }

    @Test
    void resultsWrittenBeforeWarmUpsReadBackAsWholeDrains(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("old.json");
        Files.writeString(file, "{\"name\":\"full job\",\"records\":1000,\"cpu\":{\"jobSeconds\":2.0,"
                + "\"brokerSeconds\":1.0,\"wallSeconds\":10,\"clockTicksPerSecond\":100},\"checkpoints\":{\"byVertex\":[]}}");
        Results.Throughput old = Results.read(file, Results.Throughput.class);

        assertThat(old.warmupRecords()).isZero();
        assertThat(old.jobCpuMsPer1000()).isEqualTo(2000.0);
    }
}
