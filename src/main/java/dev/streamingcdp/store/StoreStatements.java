package dev.streamingcdp.store;

import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.profile.ProfileJson;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/** The two statements the job writes with; the logic (guards, merges, erasure) is in the migration's procedures. */
public final class StoreStatements {

    public static final String APPLY_PROFILE = "CALL cdp_apply_profile(?, ?, ?::jsonb, ?)";
    public static final String APPLY_SEGMENT_CHANGE =
            "CALL cdp_apply_segment_change(?, ?, ?, ?, ?, ?, ?::jsonb)";

    private StoreStatements() {}

    /** A snapshot carries the profile topic's JSON and the state's version; a merge the survivor; a removal neither. */
    public static void profile(PreparedStatement st, ProfileUpdate u) throws SQLException {
        st.setString(1, u.getProfileId());
        if (u.getState() != null) {
            st.setLong(2, u.getState().getVersion());
            st.setString(3, new String(ProfileJson.snapshot(u.getState(), u.getComputedTraits()),
                    StandardCharsets.UTF_8));
        } else {
            st.setLong(2, 0);
            st.setNull(3, Types.VARCHAR);
        }
        st.setString(4, u.getState() == null ? u.getMergedInto() : null);
    }

    public static void segmentChange(PreparedStatement st, SegmentChange c) throws SQLException {
        st.setString(1, c.getSegmentId());
        st.setString(2, c.getProfileId());
        st.setInt(3, c.getVersion());
        st.setBoolean(4, "ENTERED".equals(c.getType()));
        st.setLong(5, c.getSequence());
        st.setTimestamp(6, new Timestamp(c.getOccurredAt()));
        st.setString(7, c.getReason());
    }
}
