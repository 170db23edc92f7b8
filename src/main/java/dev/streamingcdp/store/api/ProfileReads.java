package dev.streamingcdp.store.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.kafka.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;

/** The Profile API's reads of the store: each an indexed lookup (identifier, profile id, segment members). */
final class ProfileReads {

    /** Redirects are flattened when written; a few hops cover a redirect written before its survivor's merge. */
    private static final int MAX_REDIRECT_HOPS = 8;
    static final int RECENT_CHANGES = 20;
    // %s: the profile id's SQL (a Lookup)
    private static final String PROFILE = "SELECT profile_id, version, snapshot::text, updated_at FROM profiles"
            + " WHERE profile_id = %s";
    private static final String SEGMENTS = "SELECT segment_id, segment_version, sequence, entered_at, reason::text"
            + " FROM segment_memberships WHERE profile_id = %s AND member ORDER BY segment_id";
    private static final String RECENT = "SELECT segment_id, segment_version, entered, sequence, occurred_at,"
            + " reason::text FROM membership_changes WHERE profile_id = %s"
            + " ORDER BY occurred_at DESC, sequence DESC LIMIT " + RECENT_CHANGES;

    private final DataSource db;

    ProfileReads(DataSource db) {
        this.db = db;
    }

    /**
     * Which profile a read is about, as SQL for its id and the arguments: by profile id, or by an identifier (its
     * profile id looked up inside the same statements, so a read by identifier is one round trip).
     */
    record Lookup(String idSql, String... args) {

        static Lookup profileId(String profileId) {
            return new Lookup("?", profileId);
        }

        static Lookup identifier(String namespace, String value) {
            return new Lookup("(SELECT profile_id FROM identifiers WHERE namespace = ? AND value = ?)", namespace,
                    value);
        }
    }

    boolean exists(String profileId) throws SQLException {
        return one("SELECT profile_id FROM profiles WHERE profile_id = ?", profileId).isPresent();
    }

    /** The profile an absorbed profile id leads to, when it was absorbed. */
    Optional<String> survivorOf(String profileId) throws SQLException {
        Optional<String> survivor = Optional.empty();
        String id = profileId;
        for (int hop = 0; hop < MAX_REDIRECT_HOPS; hop++) {
            Optional<String> next = one("SELECT survivor_id FROM redirects WHERE absorbed_id = ?", id);
            if (next.isEmpty()) {
                break;
            }
            survivor = next;
            id = next.get();
        }
        return survivor;
    }

    /** The profile, its memberships and its recent changes: three statements, sent in one round trip. */
    Optional<ObjectNode> profile(Lookup who) throws SQLException {
        String id = who.idSql();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(String.format(
                PROFILE + ";" + SEGMENTS + ";" + RECENT, id, id, id))) {
            bind(st, who, 3);
            st.execute();
            ObjectNode out;
            try (ResultSet rs = st.getResultSet()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ObjectNode snapshot = (ObjectNode) Json.parse(rs.getString(3));
                out = Json.object().put("profileId", rs.getString(1)).put("version", rs.getLong(2));
                for (String field : new String[] {"label", "identifiers", "traits", "computedTraits", "consent",
                        "firstSeen", "lastSeen", "eventCounts", "absorbed"}) {
                    out.set(field, snapshot.get(field));
                }
                out.put("updatedAt", rs.getTimestamp(4).toInstant().toString());
            }
            st.getMoreResults();
            try (ResultSet rs = st.getResultSet()) {
                out.set("segments", segments(rs));
            }
            st.getMoreResults();
            try (ResultSet rs = st.getResultSet()) {
                out.set("recentChanges", recentChanges(rs));
            }
            return Optional.of(out);
        }
    }

    /** {@code {profileId, segments}}, empty when the lookup finds no profile id; one round trip. */
    Optional<ObjectNode> segments(Lookup who) throws SQLException {
        String id = who.idSql();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(String.format(
                "SELECT %s;" + SEGMENTS, id, id))) {
            bind(st, who, 2);
            st.execute();
            String profileId;
            try (ResultSet rs = st.getResultSet()) {
                profileId = rs.next() ? rs.getString(1) : null;
            }
            st.getMoreResults();
            try (ResultSet rs = st.getResultSet()) {
                if (profileId == null) {
                    return Optional.empty();
                }
                ObjectNode out = Json.object().put("profileId", profileId);
                out.set("segments", segments(rs));
                return Optional.of(out);
            }
        }
    }

    /** The lookup's arguments once for each of {@code statements} statements. */
    private static void bind(PreparedStatement st, Lookup who, int statements) throws SQLException {
        int i = 1;
        for (int n = 0; n < statements; n++) {
            for (String arg : who.args()) {
                st.setString(i++, arg);
            }
        }
    }

    private static ArrayNode segments(ResultSet rs) throws SQLException {
        ArrayNode out = Json.object().arrayNode();
        while (rs.next()) {
            out.addObject().put("id", rs.getString(1)).put("version", rs.getInt(2))
                    .put("sequence", rs.getLong(3)).put("enteredAt", instant(rs.getTimestamp(4)))
                    .set("reason", Json.parse(rs.getString(5)));
        }
        return out;
    }

    private static ArrayNode recentChanges(ResultSet rs) throws SQLException {
        ArrayNode out = Json.object().arrayNode();
        while (rs.next()) {
            out.addObject().put("segment", rs.getString(1)).put("version", rs.getInt(2))
                    .put("type", rs.getBoolean(3) ? "segment.entered" : "segment.exited")
                    .put("sequence", rs.getLong(4)).put("occurredAt", instant(rs.getTimestamp(5)))
                    .set("reason", Json.parse(rs.getString(6)));
        }
        return out;
    }

    /** One page of a segment's members in profile id order, after {@code cursor} (a profile id; null: from the start). */
    ObjectNode members(String segmentId, int limit, String cursor) throws SQLException {
        ObjectNode page = Json.object().put("segment", segmentId);
        ArrayNode members = page.putArray("members");
        String last = null;
        boolean more = false;
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("SELECT profile_id,"
                + " entered_at, segment_version FROM segment_memberships WHERE segment_id = ? AND member"
                + " AND profile_id > ? ORDER BY profile_id LIMIT ?")) {
            st.setString(1, segmentId);
            st.setString(2, cursor == null ? "" : cursor);
            st.setInt(3, limit + 1);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (members.size() == limit) {
                        more = true;
                        break;
                    }
                    last = rs.getString(1);
                    members.addObject().put("profileId", last).put("enteredAt", instant(rs.getTimestamp(2)))
                            .put("version", rs.getInt(3));
                }
            }
        }
        page.put("nextCursor", more ? last : null);
        return page;
    }

    boolean reachable() {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("SELECT 1")) {
            st.setQueryTimeout(2);
            return st.executeQuery().next();
        } catch (SQLException e) {
            return false;
        }
    }

    private Optional<String> one(String sql, String... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static String instant(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
