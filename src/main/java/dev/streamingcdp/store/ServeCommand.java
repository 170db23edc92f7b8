package dev.streamingcdp.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.StoreSettings;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.store.api.ProfileApi;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the Profile API and the profile explorer over the job's profile store (runs the"
                + " store's migrations first).")
public class ServeCommand implements Callable<Integer> {

    @Option(names = "--job", required = true, description = "the job directory (its job.yaml has store: and serve:)")
    Path jobDir;

    @Option(names = "--port", description = "port (default: serve.port in job.yaml, else 8090; 0: any free port)")
    Integer port;

    @Option(names = "--host", description = "address to bind (default: serve.host, else 127.0.0.1)")
    String host;

    @Option(names = "--jdbc-url", description = "the store's JDBC URL (default: store.jdbcUrl in job.yaml)")
    String jdbcUrl;

    @Option(names = "--db-user", description = "the store's user (default: store.user; password:"
            + " store.password, or the environment variable CDP_STORE_PASSWORD with --jdbc-url)")
    String dbUser;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = JobDefinition.load(jobDir);
        StoreSettings store = jdbcUrl != null
                ? new StoreSettings(jdbcUrl, dbUser != null ? dbUser : "postgres",
                        System.getenv("CDP_STORE_PASSWORD") != null ? "env:CDP_STORE_PASSWORD" : "", null, null, null,
                        null)
                : requireStore(job, jobDir);
        if (job.serve().apiKeys().isEmpty()) {
            throw new ConfigException(jobDir.resolve(JobDefinition.FILE)
                    + ": field 'serve.apiKeys': at least one read key is needed (env:NAME or sha256:HEX)");
        }
        StoreMigrations.migrate(store);
        try (HikariDataSource pool = pool(store)) {
            Javalin app = new ProfileApi(pool, job.serve().apiKeys(), EventNormalizer.of(job.ingest())).start(
                    host != null ? host : job.serve().host(), port != null ? port : job.serve().port());
            String base = "http://" + (host != null ? host : job.serve().host()) + ":" + app.port();
            System.out.println("Profile API on " + base + "/v1/profiles/email:... ; explorer: " + base
                    + "/explorer/ ; OpenAPI: " + base + "/openapi.json");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.stop();
                stopped.countDown();
            }));
            stopped.await();
        }
        return 0;
    }

    static StoreSettings requireStore(JobDefinition job, Path jobDir) {
        if (job.store() == null) {
            throw new ConfigException(jobDir.resolve(JobDefinition.FILE) + ": no 'store:' section (the profile"
                    + " store's jdbcUrl and user)");
        }
        return job.store();
    }

    static HikariDataSource pool(StoreSettings store) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(store.jdbcUrl());
        config.setUsername(store.user());
        config.setPassword(store.resolvedPassword());
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(2_000);
        config.setReadOnly(true);
        // start even while the database is down: /ready says so, reads answer 503 until it is back
        config.setInitializationFailTimeout(-1);
        config.setPoolName("profile-api");
        return new HikariDataSource(config);
    }
}
