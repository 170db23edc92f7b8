package dev.streamingcdp.collect;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real Segment client libraries from npm, installed once into target/node-collect from the committed lock file. */
final class NodeClients {

    static final Path SOURCE = Path.of("src/test/node/collect");
    static final Path DIR = Path.of("target/node-collect");

    /** A command started in {@link #DIR}; everything it prints goes to {@code output}. */
    record Running(List<String> command, Process process, Path output) {

        /** Waits for it to end; returns its output, or fails with it unless it exited 0. */
        String finish(int timeoutSeconds) throws IOException, InterruptedException {
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String out = Files.readString(output);
            Files.delete(output);
            if (!ended || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + (ended ? " failed" : " timed out") + ":\n" + out);
            }
            return out;
        }
    }

    private NodeClients() {}

    /** Installs (npm ci) when needed; skips the test when node or npm is not installed (CI installs them). */
    static Path install() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed (apt-get install nodejs npm)");
        Files.createDirectories(DIR);
        for (String f : List.of("package.json", "package-lock.json", "send-node.mjs", "send-retry.mjs",
                "browser.mjs")) {
            Files.copy(SOURCE.resolve(f), DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/@segment/analytics-node"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        return DIR;
    }

    /** Runs a command in {@link #DIR}; returns its output, or fails with it. */
    static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        return start(command).finish(timeoutSeconds);
    }

    /** Starts a command in {@link #DIR}, for a test that acts while it runs. */
    static Running start(List<String> command) throws IOException {
        Path output = Files.createTempFile(DIR.toAbsolutePath(), "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        return new Running(command, pb.start(), output);
    }

    private static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }
}
