package dev.streamingcdp.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * bin/store-bench's loader: N synthetic profiles (e-mail bench-n@example.com, user id bench-n, a few traits, every
 * tenth in prospecting-ads), generated inside PostgreSQL in one statement per table. Not used by the job.
 */
public final class BenchLoad {

    private BenchLoad() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long n = Long.parseLong(args[1]);
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            insert(c, "INSERT INTO profiles (profile_id, version, snapshot, traits, computed_traits, consent,"
                    + " first_seen, last_seen) SELECT 'p-bench-' || g, 1, jsonb_build_object('type',"
                    + " 'profile.snapshot', 'profileId', 'p-bench-' || g, 'label', jsonb_build_object('namespace',"
                    + " 'user_id', 'value', 'bench-' || g), 'identifiers', jsonb_build_array(jsonb_build_object("
                    + "'namespace', 'email', 'value', 'bench-' || g || '@example.com'), jsonb_build_object("
                    + "'namespace', 'user_id', 'value', 'bench-' || g)), 'traits', jsonb_build_object('first_name',"
                    + " 'Bench', 'tier', 'gold', 'city', 'Springfield'), 'computedTraits', jsonb_build_object("
                    + "'orders_90d', g % 5), 'consent', jsonb_build_object('marketing', true), 'firstSeen',"
                    + " '2026-11-23T10:00:00Z', 'lastSeen', '2026-11-23T10:00:00Z', 'eventCounts',"
                    + " jsonb_build_object('page', 3), 'absorbed', '[]'::jsonb), jsonb_build_object('first_name',"
                    + " 'Bench', 'tier', 'gold', 'city', 'Springfield'), jsonb_build_object('orders_90d', g % 5),"
                    + " jsonb_build_object('marketing', true), timestamptz '2026-11-23 10:00Z',"
                    + " timestamptz '2026-11-23 10:00Z' FROM generate_series(0, ? - 1) g", n);
            insert(c, "INSERT INTO identifiers SELECT 'email', 'bench-' || g || '@example.com', 'p-bench-' || g"
                    + " FROM generate_series(0, ? - 1) g", n);
            insert(c, "INSERT INTO identifiers SELECT 'user_id', 'bench-' || g, 'p-bench-' || g"
                    + " FROM generate_series(0, ? - 1) g", n);
            insert(c, "INSERT INTO segment_memberships SELECT 'prospecting-ads', 'p-bench-' || g, 1, true, 1,"
                    + " timestamptz '2026-11-23 10:00Z', timestamptz '2026-11-23 10:00Z', '{\"trigger\": \"event\","
                    + " \"version\": 1, \"facts\": []}' FROM generate_series(0, ? - 1, 10) g", n);
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE");
            }
        }
    }

    private static void insert(Connection c, String sql, long n) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, n);
            System.out.println(st.executeUpdate() + " rows: " + sql.substring(0, sql.indexOf(" (") > 0
                    && sql.indexOf(" (") < 40 ? sql.indexOf(" (") : 40));
        }
    }
}
