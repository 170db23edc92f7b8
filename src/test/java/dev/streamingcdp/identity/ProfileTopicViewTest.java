package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.IdentityScenario.ExpectedProfile;
import dev.streamingcdp.identity.ProfileTopicView.Profile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The at-rest view of the profile topic and its comparison with the oracle: a blind judge would pass anything. */
class ProfileTopicViewTest {

    private static final String U1 = IdentityScenario.profileId(Set.of("user_id:u1"));
    private static final String A9 = IdentityScenario.profileId(Set.of("anonymous_id:a9"));

    @Test
    void theLastRecordPerKeyDecidesAndOnlySnapshotsAreAtRest() {
        ProfileTopicView view = new ProfileTopicView();
        apply(view, "p-1", snapshot("p-1", 1, "user_id:u1"));
        apply(view, "p-2", snapshot("p-2", 2, "anonymous_id:a7"));
        apply(view, "p-1", snapshot("p-1", 3, "user_id:u1", "anonymous_id:a7"));
        apply(view, "p-2", "{\"type\":\"profile.merged\",\"profileId\":\"p-2\",\"survivorId\":\"p-1\"}");
        apply(view, "p-3", snapshot("p-3", 1, "device_id:d"));
        apply(view, "p-3", null);
        apply(view, "p-4", "{\"type\":\"profile.merged\",\"profileId\":\"p-4\",\"survivorId\":\"p-1\"}");
        apply(view, "p-4", snapshot("p-4", 5, "email:e@example.com")); // revived: a later snapshot counts again

        assertThat(view.atRest()).isEqualTo(Map.of(
                "p-1", new Profile("p-1", Set.of("user_id:u1", "anonymous_id:a7"), 3 + 1),
                "p-4", new Profile("p-4", Set.of("email:e@example.com"), 5 + 1)));
        assertThat(view.anomalies()).isEmpty();
        assertThat(view.records()).isZero(); // records() counts Kafka records only
    }

    @Test
    void recordsThatBreakTheContractAreAnomalies() {
        ProfileTopicView view = new ProfileTopicView();
        apply(view, null, snapshot("p-1", 1, "user_id:u1"));
        apply(view, "p-2", snapshot("p-9", 1, "user_id:u2"));
        apply(view, "p-3", "{\"type\":\"profile.updated\"}");
        apply(view, "p-4", "{not json");
        apply(view, "p-5", "{\"type\":\"profile.merged\",\"profileId\":\"p-5\",\"survivorId\":\"p-5\"}");
        assertThat(view.anomalies()).hasSize(5);
    }

    @Test
    void theComparisonIsEqualOnlyForExactlyTheComponents() {
        Map<String, ExpectedProfile> expected = Map.of(
                U1, new ExpectedProfile(U1, Set.of("user_id:u1", "anonymous_id:a7", "device_id:d1"), 4),
                A9, new ExpectedProfile(A9, Set.of("anonymous_id:a9"), 1));
        Profile u1 = new Profile(U1, Set.of("user_id:u1", "anonymous_id:a7", "device_id:d1"), 4);
        Profile a9 = new Profile(A9, Set.of("anonymous_id:a9"), 1);
        assertThat(AtRestComparison.of(expected, Map.of(U1, u1, A9, a9)).equal()).isTrue();

        // a component split in two: both halves are wrong, and the component is not at rest
        AtRestComparison split = AtRestComparison.of(expected, Map.of(
                U1, new Profile(U1, Set.of("user_id:u1", "anonymous_id:a7"), 3),
                "p-x", new Profile("p-x", Set.of("device_id:d1"), 1), A9, a9));
        assertThat(split.wrongComponents()).hasSize(3);
        assertThat(split.equal()).isFalse();

        // two components merged into one: the profile is wrong, and neither component is at rest
        AtRestComparison merged = AtRestComparison.of(expected, Map.of(U1, new Profile(U1,
                Set.of("user_id:u1", "anonymous_id:a7", "device_id:d1", "anonymous_id:a9"), 5)));
        assertThat(merged.wrongComponents()).hasSize(3);

        // right identifiers, wrong id; right identifiers, wrong count
        AtRestComparison wrongId = AtRestComparison.of(expected, Map.of(
                "p-y", new Profile("p-y", u1.identifiers(), 4), A9, a9));
        assertThat(wrongId.wrongIds()).hasSize(1).first().asString().contains("user_id:u1");
        assertThat(wrongId.wrongComponents()).isEmpty();
        AtRestComparison wrongCount = AtRestComparison.of(expected, Map.of(
                U1, new Profile(U1, u1.identifiers(), 5), A9, a9));
        assertThat(wrongCount.wrongCounts()).hasSize(1);

        // one identifier in two profiles
        AtRestComparison shared = AtRestComparison.of(expected, Map.of(U1, u1,
                A9, new Profile(A9, Set.of("anonymous_id:a9", "device_id:d1"), 1)));
        assertThat(shared.sharedIdentifiers())
                .containsExactly("device_id:d1 is in profiles " + new TreeSet<>(Set.of(A9, U1)));

        // a missing profile
        assertThat(AtRestComparison.of(expected, Map.of(U1, u1)).wrongComponents()).hasSize(1);
    }

    private static String snapshot(String id, int tracks, String... identifiers) {
        StringBuilder ids = new StringBuilder();
        for (String k : identifiers) {
            ids.append(ids.isEmpty() ? "" : ",").append("{\"namespace\":\"").append(ScenarioEvent.namespace(k))
                    .append("\",\"value\":\"").append(ScenarioEvent.value(k)).append("\"}");
        }
        return "{\"type\":\"profile.snapshot\",\"profileId\":\"" + id + "\",\"identifiers\":[" + ids
                + "],\"eventCounts\":{\"track\":" + tracks + ",\"page\":1},\"traits\":{},\"absorbed\":[]}";
    }

    private static void apply(ProfileTopicView view, String key, String value) {
        view.apply(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), "test");
    }
}
