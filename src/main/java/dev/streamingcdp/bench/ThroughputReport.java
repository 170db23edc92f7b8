package dev.streamingcdp.bench;

import java.util.List;

/** The report of a throughput-only run (`bin/bench --throughput-only`): ratio, the two drains and the A/B steps. */
final class ThroughputReport {

    private ThroughputReport() {}

    static String report(ReportWriter.Run run, Results.Throughput baseline, Results.Throughput full,
            List<AbSteps.Row> steps, HotPath.Profile profile) {
        StringBuilder md = new StringBuilder("# Benchmark, throughput only: full job against a bare Flink baseline\n\n");
        ReportWriter.header(md, run);
        Target ratio = ReportWriter.targets(baseline, full, List.of()).get(0);
        md.append(String.format(java.util.Locale.ROOT, "Steady full / baseline: **%.2f x** (target %s x: %s). No "
                + "latency phases: for comparing changes to the job (`bin/bench` makes the whole report).%n%n"
                + "## Throughput%n%n", ratio.value(), SvgBarChart.number(ratio.limit()), ratio.verdict()));
        ReportWriter.throughput(md, baseline, full);
        ReportWriter.hotPath(md, profile);
        abSteps(md, steps);
        return md.toString();
    }

    /** The A/B table, when there are labelled runs; also in the full report. */
    static void abSteps(StringBuilder md, List<AbSteps.Row> steps) {
        if (steps.isEmpty()) {
            return;
        }
        md.append("\n## A/B steps\n\nOne row per labelled run (`bin/bench --throughput-only --label NAME`), in the "
                + "order they were run; *change* is against the row above: what that step bought. Steady rates and "
                + "CPU as in the tables above, each from its own run, so the machine's load then is in each row.\n\n")
                .append(AbSteps.table(steps));
    }
}
