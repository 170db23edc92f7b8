package dev.streamingcdp.store;

import dev.streamingcdp.testing.Postgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Small reads of the store for the tests' assertions. */
final class StoreQueries {

    private final Postgres db;

    StoreQueries(Postgres db) {
        this.db = db;
    }

    List<String> strings(String sql, Object... args) {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String one(String sql, Object... args) {
        List<String> rows = strings(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Rows that name the profile in any table of the store. */
    long rowsOf(String profileId) {
        return Long.parseLong(one(("SELECT (SELECT count(*) FROM profiles WHERE profile_id = ?1)"
                + " + (SELECT count(*) FROM identifiers WHERE profile_id = ?1)"
                + " + (SELECT count(*) FROM redirects WHERE absorbed_id = ?1 OR survivor_id = ?1)"
                + " + (SELECT count(*) FROM segment_memberships WHERE profile_id = ?1)"
                + " + (SELECT count(*) FROM membership_changes WHERE profile_id = ?1)")
                .replace("?1", "'" + profileId.replace("'", "") + "'")));
    }

    /** What the store holds of the profile, for a failure message. */
    String describe(String profileId) {
        return "profiles=" + strings("SELECT snapshot::text FROM profiles WHERE profile_id = ?", profileId)
                + " identifiers=" + strings("SELECT namespace || ':' || value FROM identifiers WHERE profile_id = ?",
                        profileId)
                + " memberships=" + strings("SELECT segment_id || ' ' || member FROM segment_memberships"
                        + " WHERE profile_id = ?", profileId)
                + " changes=" + strings("SELECT segment_id || ' ' || sequence FROM membership_changes"
                        + " WHERE profile_id = ?", profileId)
                + " removed=" + strings("SELECT removed_at::text FROM removed_profiles WHERE profile_id = ?",
                        profileId);
    }
}
