package dev.streamingcdp.store;

import dev.streamingcdp.config.StoreSettings;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes the profile store (PostgreSQL) from the job: profile updates and segment changes, at least once, as
 * idempotent calls of the store's procedures (a version or sequence guard makes a retry or reorder harmless).
 * The store down never holds a checkpoint back ({@link StoreWriter}): the job goes on and the store catches up.
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
        profiles.sinkTo(new StoreSink<>(store, StoreStatements.APPLY_PROFILE, StoreStatements::profile,
                        ProfileUpdate.class))
                .uid(PROFILES_SINK_UID).name("profiles: PostgreSQL profile store");
        segmentChanges.sinkTo(new StoreSink<>(store, StoreStatements.APPLY_SEGMENT_CHANGE,
                        StoreStatements::segmentChange, SegmentChange.class))
                .uid(SEGMENTS_SINK_UID).name("segment changes: PostgreSQL profile store");
    }

    static JdbcConnectionOptions connection(StoreSettings store) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(store.jdbcUrl())
                .withDriverName("org.postgresql.Driver")
                .withUsername(store.user())
                .withPassword(store.resolvedPassword())
                .withConnectionCheckTimeoutSeconds(5)
                // an unreachable or hung server fails a write in seconds instead of blocking the task thread
                .withProperty("connectTimeout", "5")
                .withProperty("socketTimeout", "60")
                .build();
    }
}
