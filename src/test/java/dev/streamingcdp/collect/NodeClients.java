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

    private NodeClients() {}

    /** Installs (npm ci) when needed; skips the test when node or npm is not installed (CI installs them). */
    static Path install() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed (apt-get install nodejs npm)");
        Files.createDirectories(DIR);
        for (String f : List.of("package.json", "package-lock.json", "send-node.mjs", "browser.mjs")) {
            Files.copy(SOURCE.resolve(f), DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/@segment/analytics-node"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        return DIR;
    }

    /** Runs a command in {@link #DIR}; returns its output, or fails with it. */
    static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
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
