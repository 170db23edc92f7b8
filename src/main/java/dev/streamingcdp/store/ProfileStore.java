package dev.streamingcdp.store;

import dev.streamingcdp.config.StoreSettings;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes the profile store (PostgreSQL) from the job: profile updates and segment changes, at least once, as
 * idempotent calls of the store's procedures (a version or sequence guard makes a retry or reorder harmless).
 * The schema must exist ({@code bin/cdp store migrate}, or the serve command, runs the migrations).
 */
public final class ProfileStore {

    public static final String PROFILES_SINK_UID = "store-profiles-sink";
    public static final String SEGMENTS_SINK_UID = "store-segments-sink";

    private ProfileStore() {}

    /** Adds both sinks when the job has a {@code store:} section; without one, nothing. */
    public static void attach(StoreSettings store, DataStream<ProfileUpdate> profiles,
            DataStream<SegmentChange> segmentChanges) {
        if (store == null) {
            return;
        }
        profiles.sinkTo(JdbcSink.<ProfileUpdate>builder()
                        .withQueryStatement(StoreStatements.APPLY_PROFILE, StoreStatements::profile)
                        .withExecutionOptions(execution(store))
                        .buildAtLeastOnce(new PatientConnectionProvider(connection(store))))
                .uid(PROFILES_SINK_UID).name("profiles: PostgreSQL profile store");
        segmentChanges.sinkTo(JdbcSink.<SegmentChange>builder()
                        .withQueryStatement(StoreStatements.APPLY_SEGMENT_CHANGE, StoreStatements::segmentChange)
                        .withExecutionOptions(execution(store))
                        .buildAtLeastOnce(new PatientConnectionProvider(connection(store))))
                .uid(SEGMENTS_SINK_UID).name("segment changes: PostgreSQL profile store");
    }

    private static JdbcExecutionOptions execution(StoreSettings store) {
        return JdbcExecutionOptions.builder()
                .withBatchSize(store.batchSize())
                .withBatchIntervalMs(store.batchInterval().toMillis())
                .withMaxRetries(store.maxRetries())
                .build();
    }

    static JdbcConnectionOptions connection(StoreSettings store) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(store.jdbcUrl())
                .withDriverName("org.postgresql.Driver")
                .withUsername(store.user())
                .withPassword(store.resolvedPassword())
                .withConnectionCheckTimeoutSeconds(5)
                .build();
    }
}
