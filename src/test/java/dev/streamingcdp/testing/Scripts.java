package dev.streamingcdp.testing;

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
 * Runs the repository's scripts (bin/kafka, bin/flink-cluster) as an operator would, with the test's ports and
 * directories in the environment. Everything they print goes to one log file; stdout is also returned, because the
 * scripts print their result (a job id, a savepoint path) as the last line.
 */
public final class Scripts {

    private final Map<String, String> env;
    private final Path log;
    private final Path workDir;

    public Scripts(Map<String, String> env, Path workDir) {
        this.env = Map.copyOf(env);
        this.workDir = workDir;
        this.log = workDir.resolve("scripts.log");
    }

    /** Runs {@code command} from the repository root; fails with the log's path unless it exits 0. */
    public String run(String... command) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(workDir, "stdout", ".txt");
        append("$ " + String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process process = pb.start();
        boolean ended = process.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String out = Files.readString(stdout);
        Files.delete(stdout);
        append(out);
        if (!ended || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + (ended ? " exited with " + process.exitValue()
                    : " did not end within 10 minutes") + "; see " + log.toAbsolutePath());
        }
        return out;
    }

    /** The last line the command printed on stdout. */
    public String lastLine(String... command) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>(run(command).lines().filter(l -> !l.isBlank()).toList());
        if (lines.isEmpty()) {
            throw new IllegalStateException(String.join(" ", command) + " printed nothing; see " + log.toAbsolutePath());
        }
        return lines.get(lines.size() - 1).trim();
    }

    private void append(String text) throws IOException {
        Files.writeString(log, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Stops the cluster (bin/flink-cluster stop), then the broker (bin/kafka stop) even if that failed. */
    public void stopClusterAndBroker() throws IOException, InterruptedException {
        try {
            run("bin/flink-cluster", "stop");
        } finally {
            run("bin/kafka", "stop");
        }
    }
}
