package dev.streamingcdp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The segments commands' checks before anything is written: no broker needed (nothing listens on port 1). */
class SegmentsCommandTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cdp(String... args) {
        return new CommandLine(new Cdp()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void pushWritesNothingWhenAFileHasAProblemAndExits2() throws IOException {
        Path bad = write("bad.yaml", "id: bad\nname: Bad\nversion: 0\ndestinations: [a]\ncondition: {event: A}\n");
        // Port 1: nothing listens there, so getting past validation would fail differently (exit 1).
        int exit = cdp("segments", "push", "--bootstrap-servers", "127.0.0.1:1",
                        DEMO.resolve("segments/retention-offer.yaml").toString(), bad.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                "error: " + bad + " line 3, field 'version': must be a whole number of at least 1", "1 error");
    }

    @Test
    void deleteRejectsSomethingThatIsNotAnIdAndExits2() {
        int exit = cdp("segments", "delete", "--bootstrap-servers", "127.0.0.1:1", "segments/x.yaml");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: 'segments/x.yaml' is not a segment id");
    }

    @Test
    void validateAndPushCheckDestinationsAgainstDestinationsYaml() throws IOException {
        Path job = dir.resolve("job");
        copy(DEMO, job);
        Path yaml = job.resolve("destinations.yaml");
        String text = Files.readString(yaml);
        int cut = text.indexOf("  - name: web-personalisation");
        assertThat(cut).isPositive();
        Files.writeString(yaml, text.substring(0, cut));

        assertThat(cdp("segments", "validate", "--job", job.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: segment 'retention-offer', field 'destinations[0]': "
                + "'web-personalisation' is not a destination in " + yaml);

        // push: the same check for a definition that names a destination the job does not have (a typo here)
        err.getBuffer().setLength(0);
        Files.writeString(yaml, text);
        Path offer = job.resolve("segments/retention-offer.yaml");
        Path pushed = Files.writeString(dir.resolve("offer-v2.yaml"), Files.readString(offer)
                .replace("version: 1", "version: 2").replace("[web-personalisation]", "[web-personalization]"));
        assertThat(cdp("segments", "push", "--job", job.toString(), "--bootstrap-servers", "127.0.0.1:1",
                pushed.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + pushed + " line 7, field 'destinations[0]': "
                + "'web-personalization' is not a destination of this job (ads-prospecting, email-marketing, "
                + "web-personalisation)");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
