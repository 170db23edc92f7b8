package dev.streamingcdp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.FlinkRest;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.ListeningSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `cdp run --local` in its own JVM, launched as bin/cdp launches it (same JVM flags and classpath), with the retail
 * demo against a test broker: while the job runs, every TCP socket that JVM listens on is on loopback; stopped with
 * SIGTERM (Ctrl-C, `kill`), it leaves nothing in its temporary directory.
 */
class LocalRunIT {

    private static final long START_TIMEOUT_MS = 120_000;

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir
    Path work;

    @Test
    void listensOnLoopbackOnlyAndCleansUpItsTempFilesOnSigterm() throws Exception {
        Path jobDir = demoCopy();
        JobDefinition job = JobDefinition.load(jobDir).withBootstrapServers(KAFKA.bootstrapServers());
        KAFKA.createTopics(job, Destinations.load(jobDir, SegmentCatalog.load(jobDir)));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        int webPort = freePort();

        Process run = launch(tmp, jobDir, webPort);
        try {
            awaitRunningJob(run, new FlinkRest(webPort));
            List<InetSocketAddress> listening = ListeningSockets.of(run.pid());

            assertThat(listening).as("listening sockets of the local run").isNotEmpty()
                    .anySatisfy(a -> assertThat(a.getPort()).as("the dashboard").isEqualTo(webPort))
                    .allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress())
                            .as("%s is on loopback", a).isTrue());
            assertThat(entries(tmp)).as("the run keeps its temp files in java.io.tmpdir").isNotEmpty();
        } finally {
            run.destroy(); // SIGTERM
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
        }
        assertThat(entries(tmp)).as("left in java.io.tmpdir after SIGTERM").isEmpty();
    }

    /** The demo job with its checkpoints in the test's directory, not the demo's /tmp/streaming-cdp. */
    private Path demoCopy() throws IOException {
        Path copy = Files.createDirectories(work.resolve("job"));
        try (Stream<Path> files = Files.walk(Path.of("jobs/retail-demo"))) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(Path.of("jobs/retail-demo").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path yaml = copy.resolve("job.yaml");
        String text = Files.readString(yaml);
        String checkpoints = work.resolve("checkpoints").toUri().toString();
        Files.writeString(yaml, text.replace("file:///tmp/streaming-cdp/retail-demo/checkpoints", checkpoints));
        assertThat(Files.readString(yaml)).contains(checkpoints);
        return copy;
    }

    private Process launch(Path tmp, Path jobDir, int webPort) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launcherJavaFlags());
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Dlog4j.configurationFile=flink-conf/log4j-local.properties");
        command.add("-Dcdp.log.file=" + work.resolve("cdp-run.log"));
        command.add("-cp");
        command.add("target/classes:" + Files.readString(Path.of("target/classpath.txt")).trim());
        command.addAll(List.of("dev.streamingcdp.cli.Cdp", "run", "--local", "--job", jobDir.toString(),
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--web-port", Integer.toString(webPort)));
        return new ProcessBuilder(command)
                .redirectOutput(work.resolve("stdout.txt").toFile())
                .redirectError(work.resolve("stderr.txt").toFile())
                .start();
    }

    /** The JVM flags bin/cdp starts every command with (its JAVA_FLAGS list). */
    private static List<String> launcherJavaFlags() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("bin/cdp"));
        int start = lines.indexOf("JAVA_FLAGS=(");
        List<String> flags = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.trim().equals(")")) {
                break;
            }
            flags.add(line.trim());
        }
        assertThat(flags).as("bin/cdp's JAVA_FLAGS").isNotEmpty().allMatch(f -> f.startsWith("-"));
        return flags;
    }

    private void awaitRunningJob(Process run, FlinkRest rest) throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            assertThat(run.isAlive()).as("the local run is alive (see %s)", work.resolve("stderr.txt")).isTrue();
            try {
                for (JsonNode j : rest.get("/jobs/overview").path("jobs")) {
                    if (j.path("state").asText().equals("RUNNING")) {
                        return;
                    }
                }
            } catch (IllegalStateException notYet) { // the dashboard is not up yet
                Thread.sleep(500);
                continue;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no running job within " + START_TIMEOUT_MS + " ms; see " + work);
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
