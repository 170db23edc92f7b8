package dev.streamingcdp.store;

import dev.streamingcdp.config.StoreSettings;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches to the profile store and never makes a checkpoint wait for it. Flink's JDBC sink flushes at every
 * checkpoint and waits there while the database is down: the checkpoint times out, enough timeouts fail the job,
 * and under EXACTLY_ONCE every Kafka output waits for that checkpoint too (a wait longer than the Kafka transaction
 * timeout would lose them). Here a checkpoint tries one write; what did not get written goes into the checkpoint as
 * writer state and is written, first, once the database answers (after a restart too). Only when
 * {@code store.maxBuffered} records wait does the sink wait for the database, which slows the job down to it.
 *
 * <p>A lost connection, the server shutting down or refusing connections, a deadlock or a serialization failure is
 * retried for as long as it lasts (with a back-off up to 5 s); any other SQL error (the schema missing, a record the
 * database rejects) fails the task after {@code store.maxRetries} retries, as a bug must.
 */
final class StoreWriter<T extends SpecificRecord> implements StatefulSinkWriter<T, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final StoreSettings settings;
    private final String sql;
    private final JdbcStatementBuilder<T> statementBuilder;
    private final AvroBytes<T> bytes;
    private final ProcessingTimeService time;
    private final SimpleJdbcConnectionProvider connections;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();

    private PreparedStatement statement;
    private long retryAt;
    private long backoff = FIRST_BACKOFF_MS;
    private int failedAttempts;
    private int rejections;

    StoreWriter(StoreSettings settings, String sql, JdbcStatementBuilder<T> statementBuilder, AvroBytes<T> bytes,
            WriterInitContext context, Collection<byte[]> restored) {
        this.settings = settings;
        this.sql = sql;
        this.statementBuilder = statementBuilder;
        this.bytes = bytes;
        this.time = context.getProcessingTimeService();
        this.connections = new SimpleJdbcConnectionProvider(ProfileStore.connection(settings));
        pending.addAll(restored);
        context.metricGroup().gauge("storePendingRecords", pending::size);
        schedule();
    }

    @Override
    public void write(T record, Context context) throws IOException, InterruptedException {
        pending.addLast(bytes.encode(record));
        if (pending.size() >= settings.batchSize()) {
            tryWrite();
        }
        while (pending.size() >= settings.maxBuffered()) {
            waitAndWrite();
        }
    }

    /** At a checkpoint: one try, no wait; at the end of a bounded input: everything, however long it takes. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        tryWrite();
        while (endOfInput && !pending.isEmpty()) {
            waitAndWrite();
        }
    }

    @Override
    public List<byte[]> snapshotState(long checkpointId) {
        return new ArrayList<>(pending);
    }

    private void schedule() {
        time.registerTimer(time.getCurrentProcessingTime() + settings.batchInterval().toMillis(), now -> {
            tryWrite();
            schedule();
        });
    }

    private void tryWrite() throws IOException {
        if (!pending.isEmpty() && System.currentTimeMillis() >= retryAt) {
            writePending();
        }
    }

    private void waitAndWrite() throws IOException, InterruptedException {
        long wait = retryAt - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        writePending();
    }

    /** Batch by batch; a batch leaves {@code pending} only once the database took it (its writes are idempotent). */
    private void writePending() throws IOException {
        try {
            while (!pending.isEmpty()) {
                PreparedStatement st = statement();
                int n = 0;
                for (Iterator<byte[]> it = pending.iterator(); it.hasNext() && n < settings.batchSize(); n++) {
                    statementBuilder.accept(st, bytes.decode(it.next()));
                    st.addBatch();
                }
                st.executeBatch();
                for (int i = 0; i < n; i++) {
                    pending.pollFirst();
                }
            }
            if (failedAttempts > 0) {
                LOG.info("profile store written again after {} failed attempts", failedAttempts);
            }
            failedAttempts = 0;
            rejections = 0;
            backoff = FIRST_BACKOFF_MS;
        } catch (SQLException e) {
            disconnect();
            if (!transientFailure(e) && ++rejections > settings.maxRetries()) {
                throw new IOException("the profile store rejected a batch " + rejections + " times", e);
            }
            failedAttempts++;
            if (failedAttempts == 1 || failedAttempts % 20 == 0) {
                LOG.warn("profile store write failed (attempt {}, {} records wait, the job goes on): {}",
                        failedAttempts, pending.size(), e.getMessage());
            }
            retryAt = System.currentTimeMillis() + backoff;
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private PreparedStatement statement() throws SQLException {
        if (statement == null) {
            try {
                statement = LostConnectionAsSqlException.wrap(connections.getOrEstablishConnection())
                        .prepareStatement(sql);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the PostgreSQL JDBC driver is not on the classpath", e);
            }
        }
        return statement;
    }

    /**
     * Connection trouble (class 08, or no state: the driver lost the socket), the server going away or short of
     * resources (57P, 53), a deadlock or serialization failure between the sink's subtasks (40).
     */
    static boolean transientFailure(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                || state.startsWith("40");
    }

    private void disconnect() {
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException | RuntimeException ignored) {
                // the connection is gone already; closing it below is all that is left to do
            }
            statement = null;
        }
        connections.closeConnection();
    }

    @Override
    public void close() {
        disconnect();
    }
}
