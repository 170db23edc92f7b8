package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.cli.Cdp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SegmentsValidateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int validate(Path jobDir) {
        return new CommandLine(new Cdp()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("segments", "validate", "--job", jobDir.toString());
    }

    @Test
    void theShippedDirectoryIsValid() {
        assertThat(validate(SegmentCatalogTest.DEMO)).isZero();
        assertThat(out.toString()).isEqualTo("ok: 4 segments, 2 computed traits\n");
    }

    @Test
    void aMissingDirectoryIsAnError() {
        assertThat(validate(dir.resolve("nope"))).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: " + dir.resolve("nope") + ": not a job directory\n");
    }

    @Test
    void aBadDirectoryPrintsEveryErrorAndExits1() throws IOException {
        BadDefinitions.copyDemo(dir);
        BadDefinitions.edit(dir, "segments/cart-abandoners.yaml", "    within: 1h", "");
        BadDefinitions.edit(dir, "segments/prospecting-ads.yaml", "within: 30d", "within: 30 days");
        BadDefinitions.edit(dir, "computed-traits.yaml", "function: sum", "function: total");

        assertThat(validate(dir)).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                "error: " + dir.resolve("computed-traits.yaml") + " line 8, field 'computedTraits[1].function': "
                        + "'total' is not a function (one of count, sum, min, max, average, first, last, distinct_count)",
                "error: " + dir.resolve("segments/cart-abandoners.yaml") + " line 9, field 'condition.sequence.within': "
                        + "is required",
                "error: " + dir.resolve("segments/prospecting-ads.yaml") + " line 12, field 'condition.all[1].within': "
                        + "'30 days' is not a valid duration (e.g. 30m, 7d, ever)",
                "3 errors");
    }
}
