package dev.streamingcdp.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's own scripts (bin/kafka, bin/flink-cluster) as a user would, with the test's ports and
 * directories in their environment; everything they print goes to one log file, their standard output is returned.
 */
final class Scripts {

    private static final long TIMEOUT_MINUTES = 10;

    private final Map<String, String> env;
    private final Path log;

    Scripts(Map<String, String> env, Path log) {
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /** The script's standard output lines; fails when it exits with another status than 0. */
    List<String> run(String... command) {
        try {
            Path out = Files.createTempFile(log.getParent(), "script", ".out");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish; see " + log);
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.write(log, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue()
                        + "; see " + log);
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
