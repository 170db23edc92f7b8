package dev.streamingcdp.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's own operator scripts (bin/kafka, bin/flink-cluster) as an operator would, with a fixed
 * environment (ports, data directories). Their stderr is appended to a log file kept for diagnosis.
 */
final class Scripts {

    /** What a script printed on stdout, and how it exited. */
    record Result(int exitCode, List<String> stdout) {
        String lastLine() {
            return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1).trim();
        }
    }

    private final Map<String, String> environment;
    private final Path log;

    Scripts(Map<String, String> environment, Path log) {
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    /** Runs {@code bin/<script> args}; fails unless it exits 0. */
    Result run(String script, String... args) {
        Result result = run(Map.of(), script, args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("bin/" + script + " " + String.join(" ", args) + " exited with "
                    + result.exitCode() + " (its messages are in " + log + ")");
        }
        return result;
    }

    /** Runs {@code bin/<script> args} with {@code extraEnv} on top; any exit code is an answer. */
    Result run(Map<String, String> extraEnv, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bin/" + script));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().putAll(extraEnv);
        try {
            Files.writeString(log, "\n$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)) {
                process.destroy();
                throw new IllegalStateException(command + " did not end within 5 minutes");
            }
            Files.writeString(log, out, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return new Result(process.exitValue(), out.lines().toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
