package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class ReportWriterTest {

    private static final Results.Checkpoints CHECKPOINTS = new Results.Checkpoints(12, 4_000_000, 300_000, 800, 1500,
            1600, List.of(new Results.VertexState("profile-unify", 3_000_000), new Results.VertexState("sink", 0),
            new Results.VertexState("ingest: de-duplicate by messageId -> enriched", 1_500_000)));
    private static final Results.Throughput BASELINE =
            new Results.Throughput("baseline", 100_000, 2.0, 50_000, 4.0, 2, 0, CHECKPOINTS, 600L << 20,
                    60_000, new Results.Cpu(3.0, 1.0, 4.0, 100));
    private static final Results.Throughput FULL =
            new Results.Throughput("full job", 100_000, 10.0, 10_000, 20.0, 2, 5_000, CHECKPOINTS, 900L << 20,
                    12_000, new Results.Cpu(30.0, 8.0, 20.0, 100));
    private static final Results.Latency AT_LEAST_ONCE = new Results.Latency("AT_LEAST_ONCE", 5000, 4990, 60, 60_000,
            new Results.Summary(500, 0, 20, 80, 120), new Results.Summary(500, 0, 25, 90, 130),
            new Results.Summary(90, 0, 400, 900, 950), new Results.Summary(90, 0, 410, 910, 960), 60, 600_000, 599_000,
            true, 1.5);
    private static final Results.Latency EXACTLY_ONCE = new Results.Latency("EXACTLY_ONCE", 5000, 4990, 60, 5000,
            new Results.Summary(500, 0, 20, 80, 120), new Results.Summary(480, 20, 2600, 5400, 5900),
            new Results.Summary(90, 0, 400, 900, 950), new Results.Summary(90, 0, 9000, 20000, 21000), 60, 600_000,
            550_000, false, -1);

    @Test
    void judgesEachTargetAndSaysByHowMuch() {
        List<Target> targets = ReportWriter.targets(BASELINE, FULL, List.of(AT_LEAST_ONCE, EXACTLY_ONCE));

        assertThat(targets).extracting(Target::met).containsExactly(false, true, false, true, true);
        // profile-keyed: all state but the de-duplication ids, per profile
        assertThat(targets.get(3).value()).isEqualTo((4_000_000 - 1_500_000) / 5_000.0);
        assertThat(targets.get(4).value()).isEqualTo(4_000_000 / 5_000.0);
        assertThat(targets.get(0).value()).isEqualTo(0.2);
        assertThat(targets.get(0).verdict()).isEqualTo("missed by 0.3 x (60% under the target)");
        assertThat(targets.get(1).verdict()).isEqualTo("met by 10 ms (10% below the target)");
        assertThat(targets.get(2).limit()).isEqualTo(5100);
        assertThat(targets.get(2).verdict()).isEqualTo("missed by 300 ms (6% over the target)");
    }

    @Test
    void reportHasTheCommandMachineTargetsCpuAndHotPath() {
        HotPath.Profile profile = new HotPath.Profile(200, 100, List.of(new HotPath.Hot("JIT compiler", 60, 0.3)),
                List.of(new HotPath.Hot("Avro (de)serialisation", 30, 0.3)),
                List.of(new HotPath.Hot("dev.streamingcdp.X.y", 20, 0.2)), List.of(new HotPath.Hot("a.B.c", 50, 0.25)));
        String md = ReportWriter.report(new ReportWriter.Run("bin/bench --quick", "2 cores", "1.5"), BASELINE, FULL,
                List.of(AT_LEAST_ONCE, EXACTLY_ONCE), profile);

        assertThat(md).contains("bin/bench --quick", "Machine: 2 cores", "Load: 1.5")
                .contains("| full / baseline throughput (steady rates) | 0.2 x | 0.5 x | missed by 0.3 x (60% under the target) |")
                .contains("| full job | 100,000 | 10,000 | 12,000 | 6,000 | 10.0 | 20.0 | 900 | 800 / 1,500 / 1,600 | 4,000,000 |")
                .contains("| AT_LEAST_ONCE | 60 | 60 + 60 | 4,990 | yes | 1.5 | 20 / 80 / 120 | 25 / 90 / 130 |")
                .contains("| EXACTLY_ONCE | 5 | 60 + 60 | 4,990 | no (50,000 behind) | still busy at the end | 20 / 80 / 120 | 2,600 / 5,400 / 5,900 |")
                .contains("**EXACTLY_ONCE: the job did not keep up** (550,000 of 600,000 records read")
                .doesNotContain("**AT_LEAST_ONCE: the job did not keep up**")
                .contains("| full job | 20.0 | 30.0 | 300 | 75 % | 8.0 | 80 | 20 % |")
                .contains("| profile-unify | 3,000,000 |").doesNotContain("| sink |")
                .contains("| `JIT compiler` | 60 | 30.0 % |", "| `Avro (de)serialisation` | 30 | 30.0 % |",
                        "| `dev.streamingcdp.X.y` | 20 | 20.0 % |", "| `a.B.c` | 50 | 25.0 % |");
    }

    @Test
    void chartsAreWellFormedSvgWithOneBarPerValueAndTheTargetLine() throws Exception {
        Document svg = parse(ReportWriter.latencyChart(List.of(AT_LEAST_ONCE, EXACTLY_ONCE)));
        // 2 deliveries x (activation + merge) x (p50, p99, max) bars, plus the white background
        assertThat(svg.getElementsByTagName("rect").getLength()).isEqualTo(1 + 12);
        assertThat(svg.getElementsByTagName("line").getLength()).isEqualTo(2);

        Document throughput = parse(ReportWriter.throughputChart(BASELINE, FULL));
        assertThat(throughput.getDocumentElement().getTextContent()).contains("60,000", "12,000", "target 30,000");
    }

    @Test
    void barLengthsAreProportionalToTheValues() throws Exception {
        Document svg = parse(SvgBarChart.render("t <&>", List.of(new SvgBarChart.Panel("p", "u", List.of(
                new SvgBarChart.Bar("a", 100), new SvgBarChart.Bar("b", 50)), Double.NaN))));
        double a = Double.parseDouble(((org.w3c.dom.Element) svg.getElementsByTagName("rect").item(1)).getAttribute("width"));
        double b = Double.parseDouble(((org.w3c.dom.Element) svg.getElementsByTagName("rect").item(2)).getAttribute("width"));
        assertThat(b).isEqualTo(a / 2);
        assertThat(svg.getDocumentElement().getTextContent()).contains("t <&>");
    }

    @Test
    void scaleReportListsEveryStep() {
        String md = ReportWriter.scaleReport(new ReportWriter.Run("bin/bench --scale", "2 cores", "1.0"),
                List.of(FULL, BASELINE));
        assertThat(md).contains("| full job | 100,000 | 5,000 | 10,000 | 12,000 | 300 / 80 | 4,000,000 | 800 |");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }
}
