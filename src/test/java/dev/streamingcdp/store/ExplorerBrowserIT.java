package dev.streamingcdp.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.streamingcdp.store.api.ProfileApi;
import dev.streamingcdp.testing.Postgres;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The profile explorer in Debian's headless Chromium, driven by playwright-core from npm (installed into target/,
 * never a downloaded browser): search an e-mail, find her profile with its segments and the facts that decided
 * them, open a segment's member list. Saves target/explorer.png. Skipped only where chromium or node is missing.
 */
class ExplorerBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCRIPTS = Path.of("src/test/node/explorer");
    private static final Path MODULES_DIR = Path.of("target/node-explorer");

    @RegisterExtension
    static final Postgres DB = new Postgres();

    @Test
    void searchingAnEmailShowsTheProfileWithItsSegments() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install chromium)");
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed (apt-get install nodejs npm)");
        installPlaywright();
        ProfileApiIT.fill(DB);
        Path screenshot = Path.of("target/explorer.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        try (HikariDataSource pool = ServeCommand.pool(DB.settings())) {
            Javalin api = new ProfileApi(pool, List.of(ProfileApiIT.KEY_SHA256), ProfileApiIT.NORMALIZER).start("127.0.0.1", 0);
            try {
                String out = run(List.of("node", SCRIPTS.resolve("explorer-test.js").toString(),
                        "http://127.0.0.1:" + api.port(), ProfileApiIT.KEY, "Jane@Example.com",
                        screenshot.toString()));
                JsonNode result = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
                assertThat(result.get("profileId").asText()).isEqualTo("p-jane");
                assertThat(List.of(result.get("segments").get(0).asText(), result.get("segments").get(1).asText()))
                        .containsExactly("prospecting-ads", "retention-offer");
                assertThat(result.get("facts").get(0).asText()).contains("Product Viewed");
                assertThat(result.get("identifiers").toString()).contains("jane@example.com", "cookie-jane");
                assertThat(result.get("segmentPage").asText()).isEqualTo("Segment prospecting-ads");
                assertThat(result.get("members").toString()).contains("p-jane", "p-member-1");
                assertThat(Files.size(screenshot)).isGreaterThan(10_000);
            } finally {
                api.stop();
            }
        }
    }

    private static void installPlaywright() throws Exception {
        if (Files.isDirectory(MODULES_DIR.resolve("node_modules/playwright-core"))) {
            return;
        }
        Files.createDirectories(MODULES_DIR);
        Files.copy(SCRIPTS.resolve("package.json"), MODULES_DIR.resolve("package.json"),
                StandardCopyOption.REPLACE_EXISTING);
        run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", MODULES_DIR.toString()));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MODULES", MODULES_DIR.toAbsolutePath().resolve("node_modules").toString());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
