package dev.streamingcdp.store;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "store", mixinStandardHelpOptions = true, description = "The profile store (PostgreSQL).",
        subcommands = {StoreCommand.Migrate.class, StoreCommand.Stats.class})
public class StoreCommand {

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Create or upgrade the profile store's schema (safe to repeat).")
    static class Migrate implements Callable<Integer> {

        @Option(names = "--job", required = true, description = "the job directory (its job.yaml has store:)")
        Path jobDir;

        @Override
        public Integer call() {
            MigrateResult result = StoreMigrations.migrate(
                    ServeCommand.requireStore(JobDefinition.load(jobDir), jobDir));
            System.out.println("store schema at version " + (result.targetSchemaVersion != null
                    ? result.targetSchemaVersion : result.initialSchemaVersion) + " (" + result.migrationsExecuted
                    + " migrations applied)");
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "How many profiles, identifiers and segment members the store holds.")
    static class Stats implements Callable<Integer> {

        @Option(names = "--job", required = true, description = "the job directory (its job.yaml has store:)")
        Path jobDir;

        @Override
        public Integer call() throws SQLException {
            StoreSettings store = ServeCommand.requireStore(JobDefinition.load(jobDir), jobDir);
            try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.user(), store.resolvedPassword());
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM profiles),"
                            + " (SELECT count(*) FROM identifiers),"
                            + " (SELECT count(*) FROM segment_memberships WHERE member)")) {
                rs.next();
                System.out.printf("%d profiles, %d identifiers, %d segment members%n",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
            return 0;
        }
    }
}
