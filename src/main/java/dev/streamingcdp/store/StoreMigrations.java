package dev.streamingcdp.store;

import dev.streamingcdp.config.StoreSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Creates or upgrades the store's schema (versioned migrations under db/migration, applied once each). */
public final class StoreMigrations {

    private StoreMigrations() {}

    public static MigrateResult migrate(StoreSettings store) {
        return migrate(store.jdbcUrl(), store.user(), store.resolvedPassword());
    }

    public static MigrateResult migrate(String jdbcUrl, String user, String password) {
        return Flyway.configure(StoreMigrations.class.getClassLoader())
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
