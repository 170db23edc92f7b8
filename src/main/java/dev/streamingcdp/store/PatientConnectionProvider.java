package dev.streamingcdp.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects like Flink's provider, but waits for an unreachable database instead of failing: the JDBC sink fails
 * its task when it cannot (re)connect, which would put the whole job into a restart loop while the store is down.
 * Waiting holds the sink back, so the job slows down (backpressure) and catches up when the store answers again.
 * A cancelled task interrupts the wait.
 */
public final class PatientConnectionProvider implements JdbcConnectionProvider {

    private static final Logger LOG = LoggerFactory.getLogger(PatientConnectionProvider.class);
    private static final long FIRST_WAIT_MS = 200;
    private static final long MAX_WAIT_MS = 5_000;

    private final SimpleJdbcConnectionProvider delegate;

    public PatientConnectionProvider(JdbcConnectionOptions options) {
        this.delegate = new SimpleJdbcConnectionProvider(options);
    }

    @Override
    public Connection getConnection() {
        return LostConnectionAsSqlException.wrap(delegate.getConnection());
    }

    @Override
    public boolean isConnectionValid() throws SQLException {
        return delegate.isConnectionValid();
    }

    @Override
    public Connection getOrEstablishConnection() throws SQLException, ClassNotFoundException {
        return patiently(false);
    }

    @Override
    public Connection reestablishConnection() throws SQLException, ClassNotFoundException {
        return patiently(true);
    }

    @Override
    public void closeConnection() {
        delegate.closeConnection();
    }

    private Connection patiently(boolean reestablish) throws SQLException, ClassNotFoundException {
        long wait = FIRST_WAIT_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                return LostConnectionAsSqlException.wrap(
                        reestablish ? delegate.reestablishConnection() : delegate.getOrEstablishConnection());
            } catch (SQLException e) {
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("profile store unreachable (attempt {}), the sink waits: {}", attempt, e.getMessage());
                }
                reestablish = true;
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for the profile store", interrupted);
                }
                wait = Math.min(wait * 2, MAX_WAIT_MS);
            }
        }
    }
}
