package dev.streamingcdp.testing;

import dev.streamingcdp.config.StoreSettings;
import dev.streamingcdp.store.StoreMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL 17 server (binaries from Maven Central) on 127.0.0.1 for the test class, with the store's schema
 * migrated. {@link #stop()} and {@link #start()} take it down and up again on the same port and data directory.
 */
public final class Postgres implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private int port;
    private EmbeddedPostgres server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("cdp-postgres");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = builder().start();
        StoreMigrations.migrate(jdbcUrl(), "postgres", "");
    }

    /** Never "clean": that would delete the data directory when the server stops, and a restart would start empty. */
    private EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(30));
    }

    public void stop() throws IOException {
        server.close();
        server = null;
    }

    public void start() throws IOException {
        server = builder().start();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public StoreSettings settings() {
        return new StoreSettings(jdbcUrl(), "postgres", "", 50, Duration.ofMillis(100), 3, null);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
