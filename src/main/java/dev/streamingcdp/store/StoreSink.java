package dev.streamingcdp.store;

import dev.streamingcdp.config.StoreSettings;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes one kind of record to the profile store with one statement, at least once, without ever making a
 * checkpoint wait for the database: what is not written yet goes into the checkpoint (see {@link StoreWriter}).
 */
final class StoreSink<T extends SpecificRecord> implements Sink<T>, SupportsWriterState<T, byte[]> {

    private final StoreSettings settings;
    private final String sql;
    private final JdbcStatementBuilder<T> statement;
    private final Class<T> type;

    StoreSink(StoreSettings settings, String sql, JdbcStatementBuilder<T> statement, Class<T> type) {
        this.settings = settings;
        this.sql = sql;
        this.statement = statement;
        this.type = type;
    }

    @Override
    public StatefulSinkWriter<T, byte[]> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, byte[]> restoreWriter(WriterInitContext context, Collection<byte[]> pending) {
        return new StoreWriter<>(settings, sql, statement, new AvroBytes<>(type), context, pending);
    }

    @Override
    public SimpleVersionedSerializer<byte[]> getWriterStateSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(byte[] record) {
                return record;
            }

            @Override
            public byte[] deserialize(int version, byte[] serialized) throws IOException {
                if (version != 1) {
                    throw new IOException("unknown version " + version + " of the profile store sink's state");
                }
                return serialized;
            }
        };
    }
}
