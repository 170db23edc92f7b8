package dev.streamingcdp.store;

import dev.streamingcdp.config.JobDefinition;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "store", mixinStandardHelpOptions = true, description = "The profile store (PostgreSQL).",
        subcommands = StoreCommand.Migrate.class)
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
}
