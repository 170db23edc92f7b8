package dev.streamingcdp.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.model.ConsentValue;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.model.TraitValue;
import dev.streamingcdp.testing.Postgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink's statements on a real PostgreSQL, batched as the JDBC sink sends them: retries and reorders of profile
 * updates and segment changes never bring back an older state; merges move identifiers; removal deletes her rows.
 */
class StoreProceduresIT {

    @RegisterExtension
    static final Postgres DB = new Postgres();

    private final StoreQueries q = new StoreQueries(DB);

    @Test
    void aReplayedOlderSnapshotNeverOverwritesANewerOne() throws Exception {
        apply(snapshot("p-replay", 2, "gold", id("email", "r@example.com")),
                snapshot("p-replay", 1, "bronze", id("email", "r@example.com")),
                snapshot("p-replay", 2, "silver", id("email", "r@example.com")));
        assertThat(q.one("SELECT traits ->> 'tier' FROM profiles WHERE profile_id = 'p-replay'")).isEqualTo("gold");
        assertThat(q.one("SELECT version FROM profiles WHERE profile_id = 'p-replay'")).isEqualTo("2");
        apply(snapshot("p-replay", 3, "platinum", id("email", "r@example.com"), id("user_id", "r")));
        assertThat(q.one("SELECT traits ->> 'tier' FROM profiles WHERE profile_id = 'p-replay'"))
                .isEqualTo("platinum");
        assertThat(q.strings("SELECT namespace || ':' || value FROM identifiers WHERE profile_id = 'p-replay'"))
                .containsExactlyInAnyOrder("email:r@example.com", "user_id:r");
    }

    @Test
    void aMergeMovesIdentifiersAndRedirectsInEitherOrderAndTheAbsorbedProfileStaysGone() throws Exception {
        // the survivor's snapshot before the merge announcement ...
        apply(snapshot("p-cookie-a", 1, null, id("anonymous_id", "ca")),
                snapshot("p-user-a", 1, null, id("user_id", "a")),
                snapshot("p-user-a", 2, null, id("user_id", "a"), id("anonymous_id", "ca")),
                merged("p-cookie-a", "p-user-a"));
        // ... and after it
        apply(snapshot("p-cookie-b", 1, null, id("anonymous_id", "cb")),
                snapshot("p-user-b", 1, null, id("user_id", "b")),
                merged("p-cookie-b", "p-user-b"),
                snapshot("p-user-b", 2, null, id("user_id", "b"), id("anonymous_id", "cb")),
                // a retried old snapshot of the absorbed profile
                snapshot("p-cookie-b", 1, null, id("anonymous_id", "cb")));
        for (String x : List.of("a", "b")) {
            assertThat(q.strings("SELECT profile_id FROM identifiers WHERE value IN (?, ?)", x, "c" + x))
                    .containsOnly("p-user-" + x).hasSize(2);
            assertThat(q.one("SELECT survivor_id FROM redirects WHERE absorbed_id = ?", "p-cookie-" + x))
                    .isEqualTo("p-user-" + x);
            assertThat(q.one("SELECT count(*) FROM profiles WHERE profile_id = ?", "p-cookie-" + x)).isEqualTo("0");
        }
        // a chain: the survivor is itself absorbed later; the first redirect follows in one step
        apply(merged("p-user-a", "p-user-b"));
        assertThat(q.one("SELECT survivor_id FROM redirects WHERE absorbed_id = 'p-cookie-a'")).isEqualTo("p-user-b");
    }

    @Test
    void aRemovalDeletesEveryRowOfHersAndARetryOfHerOldUpdatesDoesNotBringHerBack() throws Exception {
        apply(snapshot("p-cookie-e", 1, null, id("anonymous_id", "ce")),
                merged("p-cookie-e", "p-erased"),
                snapshot("p-erased", 3, "gold", id("email", "e@example.com"), id("anonymous_id", "ce")));
        change("ENTERED", "prospecting-ads", "p-erased", 1);
        assertThat(q.rowsOf("p-erased")).isEqualTo(6);
        apply(removed("p-erased"), removed("p-cookie-e"));
        assertThat(q.rowsOf("p-erased")).isZero();
        assertThat(q.rowsOf("p-cookie-e")).isZero();
        apply(snapshot("p-erased", 3, "gold", id("email", "e@example.com")));
        change("ENTERED", "prospecting-ads", "p-erased", 1);
        assertThat(q.rowsOf("p-erased")).as("a retry within the hour").isZero();
        assertThat(q.one("SELECT count(*) FROM identifiers WHERE value = 'e@example.com'")).isEqualTo("0");
    }

    @Test
    void segmentMembershipFollowsTheHighestSequence() throws Exception {
        change("ENTERED", "retention-offer", "p-seq", 1);
        change("EXITED", "retention-offer", "p-seq", 2);
        change("ENTERED", "retention-offer", "p-seq", 1); // a retry of the older entry
        assertThat(q.one("SELECT member FROM segment_memberships WHERE profile_id = 'p-seq'")).isEqualTo("f");
        change("ENTERED", "retention-offer", "p-seq", 3);
        assertThat(q.one("SELECT member FROM segment_memberships WHERE profile_id = 'p-seq'")).isEqualTo("t");
        assertThat(q.one("SELECT reason ->> 'trigger' FROM segment_memberships WHERE profile_id = 'p-seq'"))
                .isEqualTo("event");
        assertThat(q.strings("SELECT sequence FROM membership_changes WHERE profile_id = 'p-seq' ORDER BY 1"))
                .containsExactly("1", "2", "3");
    }

    /** One batch, as the sink sends it. */
    private static void apply(ProfileUpdate... updates) throws Exception {
        try (Connection c = DB.connect(); PreparedStatement st = c.prepareStatement(StoreStatements.APPLY_PROFILE)) {
            for (ProfileUpdate u : updates) {
                StoreStatements.profile(st, u);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static void change(String type, String segment, String profile, long sequence) throws Exception {
        SegmentChange c = new SegmentChange(type, segment, 1, profile, Instant.parse("2026-11-23T10:00:00Z")
                .toEpochMilli() + sequence, sequence, "{\"trigger\":\"event\",\"version\":1,\"facts\":[]}",
                List.of(), null);
        try (Connection conn = DB.connect();
                PreparedStatement st = conn.prepareStatement(StoreStatements.APPLY_SEGMENT_CHANGE)) {
            StoreStatements.segmentChange(st, c);
            st.addBatch();
            st.executeBatch();
        }
    }

    static Identifier id(String namespace, String value) {
        return new Identifier(namespace, value);
    }

    static ProfileUpdate snapshot(String profileId, long version, String tier, Identifier... ids) {
        Map<String, Identifier> identifiers = new HashMap<>();
        for (Identifier i : ids) {
            identifiers.put(i.getNamespace() + ":" + i.getValue(), i);
        }
        Map<String, TraitValue> traits = new HashMap<>();
        if (tier != null) {
            traits.put("tier", TraitValue.newBuilder().setValue(tier).setUpdatedAt(Instant.EPOCH)
                    .setChannel("crm").build());
        }
        Instant seen = Instant.parse("2026-11-23T10:00:00Z");
        ProfileState state = ProfileState.newBuilder().setProfileId(profileId).setLabel(ids[0])
                .setIdentifiers(identifiers).setTraits(traits)
                .setConsent(Map.of("marketing", new ConsentValue(true, seen)))
                .setFirstSeen(seen).setLastSeen(seen.plusSeconds(version)).setVersion(version).build();
        return new ProfileUpdate(profileId, state, null, Map.of("orders_90d", 2L));
    }

    static ProfileUpdate merged(String absorbed, String survivor) {
        return new ProfileUpdate(absorbed, null, survivor, Map.of());
    }

    static ProfileUpdate removed(String profileId) {
        return new ProfileUpdate(profileId, null, null, Map.of());
    }
}
