package dev.streamingcdp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Write the Markdown report and SVG charts from a run's results.")
class ReportCommand implements Callable<Integer> {

    @Option(names = "--results", required = true, description = "The results directory of the run.")
    Path results;

    @Option(names = "--out", required = true, description = "Where REPORT.md (or SCALE.md) and the charts go.")
    Path out;

    @Option(names = "--command", required = true, description = "The command that made the run, as typed.")
    String command;

    @Option(names = "--machine", required = true)
    String machine;

    @Option(names = "--load", required = true, description = "The machine's load during the run (uptime).")
    String load;

    @Option(names = "--profile", description = "async-profiler's collapsed stacks of the full job's throughput phase.")
    Path profile;

    @Option(names = "--scale", description = "Write the scale report from scale-*.json.")
    boolean scale;

    @Option(names = "--throughput-only", description = "Write THROUGHPUT.md from baseline.json and full.json only.")
    boolean throughputOnly;

    @Option(names = "--steps", description = "The A/B steps file (JSON lines): rendered as the A/B table.")
    Path steps;

    @Option(names = "--label", description = "Append this run to --steps under this label first.")
    String label;

    @Option(names = "--commit", defaultValue = "unknown", description = "The job's git commit, for --label.")
    String commit;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        ReportWriter.Run run = new ReportWriter.Run(command, machine, load);
        if (scale) {
            List<Results.Throughput> steps = new ArrayList<>();
            try (var files = Files.list(results)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("scale-")).sorted().toList()) {
                    steps.add(Results.read(f, Results.Throughput.class));
                }
            }
            steps.sort((a, b) -> Long.compare(a.profiles(), b.profiles()));
            Files.writeString(out.resolve("SCALE.md"), ReportWriter.scaleReport(run, steps));
            Files.writeString(out.resolve("scale.svg"), ReportWriter.scaleChart(steps));
            System.out.println("wrote " + out.resolve("SCALE.md"));
            return 0;
        }
        Results.Throughput baseline = Results.read(results.resolve("baseline.json"), Results.Throughput.class);
        Results.Throughput full = Results.read(results.resolve("full.json"), Results.Throughput.class);
        List<AbSteps.Row> rows = abSteps(baseline, full);
        HotPath.Profile hot = profile != null && Files.exists(profile) ? HotPath.read(profile, 12) : null;
        if (throughputOnly) {
            String report = ThroughputReport.report(run, baseline, full, rows, hot);
            Files.writeString(out.resolve("THROUGHPUT.md"), report);
            Files.writeString(out.resolve("throughput.svg"), ReportWriter.throughputChart(baseline, full));
            System.out.print(report.substring(report.indexOf("Steady full"), report.indexOf("## Throughput")));
            System.out.println("wrote " + out.resolve("THROUGHPUT.md"));
            return 0;
        }
        List<Results.Latency> latencies = new ArrayList<>();
        for (String delivery : List.of("AT_LEAST_ONCE", "EXACTLY_ONCE")) {
            Path file = results.resolve("latency-" + delivery + ".json");
            if (Files.exists(file)) {
                latencies.add(Results.read(file, Results.Latency.class));
            }
        }
        StringBuilder report = new StringBuilder(ReportWriter.report(run, baseline, full, latencies, hot));
        ThroughputReport.abSteps(report, rows);
        Files.writeString(out.resolve("REPORT.md"), report);
        Files.writeString(out.resolve("throughput.svg"), ReportWriter.throughputChart(baseline, full));
        Files.writeString(out.resolve("latency.svg"), ReportWriter.latencyChart(latencies));
        System.out.println(report.substring(0, report.indexOf("## Throughput")));
        System.out.println("wrote " + out.resolve("REPORT.md"));
        return 0;
    }

    /** The A/B rows, with this run appended first when it has a label. */
    private List<AbSteps.Row> abSteps(Results.Throughput baseline, Results.Throughput full) throws Exception {
        if (label != null && steps == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--label needs --steps");
        }
        if (steps == null) {
            return List.of();
        }
        if (label != null) {
            AbSteps.append(steps, AbSteps.Row.of(label, commit, java.time.LocalDate.now().toString(), baseline, full));
        }
        return AbSteps.read(steps);
    }
}
