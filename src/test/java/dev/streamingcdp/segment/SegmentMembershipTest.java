package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.Absorb;
import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.MergeAnswer;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.testing.ProfileHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.streamingcdp.testing.ProfileTestHarness;
import org.junit.jupiter.api.Test;

/** Memberships across merges and run-time definition changes, in the profile operator's harness. */
class SegmentMembershipTest {

    private static final Identifier COOKIE = new Identifier("anonymous_id", "cookie-1");
    private static final Identifier USER = new Identifier("user_id", "u-1");
    private static final Identifier OTHER = new Identifier("user_id", "u-2");
    private static final String COOKIE_PROFILE = ProfileId.of(COOKIE);
    private static final String USER_PROFILE = ProfileId.of(USER);
    private static final String OTHER_PROFILE = ProfileId.of(OTHER);
    private static final Instant T = Instant.parse("2026-11-02T09:00:00Z");
    private static final SegmentCatalog DEMO = SegmentCatalog.load(Path.of("jobs/retail-demo"));

    @Test
    void aMergeExitsTheAbsorbedProfileAndTheSurvivorEmitsOnlyRealChanges() throws Exception {
        try (var h = harness()) {
            // both are prospects; the cookie viewed running shoes twice, the user once
            h.processElement(at(COOKIE_PROFILE, COOKIE, view("c1", COOKIE, 0)), 0);
            h.processElement(at(COOKIE_PROFILE, COOKIE, view("c2", COOKIE, 1)), 0);
            h.processElement(at(USER_PROFILE, USER, view("u1", USER, 2)), 0);
            assertThat(changes(h)).extracting(c -> c.getProfileId() + " " + c.getType() + " " + c.getSegmentId())
                    .containsExactly(COOKIE_PROFILE + " ENTERED prospecting-ads",
                            USER_PROFILE + " ENTERED prospecting-ads");

            h.processElement(cmd(COOKIE_PROFILE, new ClaimConflict(COOKIE, USER_PROFILE, USER, "m9")), 0);
            h.processElement(cmd(COOKIE_PROFILE, new MergeAnswer(USER_PROFILE, USER, true, null, null)), 0);
            Absorb absorb = h.getSideOutput(ProfileOperator.FEEDBACK).stream()
                    .map(r -> r.getValue().getCommand()).filter(c -> c instanceof ProfileCommand)
                    .map(c -> ((ProfileCommand) c).getBody()).filter(b -> b instanceof Absorb)
                    .map(b -> (Absorb) b).findFirst().orElseThrow();
            h.processElement(cmd(USER_PROFILE, absorb), 0);

            List<SegmentChange> afterMerge = changes(h).subList(2, changes(h).size());
            assertThat(afterMerge).extracting(c -> c.getProfileId() + " " + c.getType() + " " + c.getSegmentId())
                    .containsExactly(COOKIE_PROFILE + " EXITED prospecting-ads", // the cookie's profile is gone
                            USER_PROFILE + " ENTERED running-shoes-interest"); // three views, counted together
            assertThat(afterMerge.get(0).getReason()).contains("profile_merged").contains(USER_PROFILE);
            assertThat(afterMerge.get(1).getReason()).contains("\"trigger\":\"merge\"").contains("\"value\":3");

            h.processElement(cmd(USER_PROFILE, absorb), 0); // a repeated absorb changes nothing
            assertThat(changes(h)).hasSize(4);
        }
    }

    @Test
    void aDefinitionAddedAtRunTimeIsBackfilledUpdatedWithDifferencesAndDeletedWithExits() throws Exception {
        try (var h = harness()) {
            h.processElement(at(USER_PROFILE, USER, tier("t1", USER, "gold")), 0);
            h.processElement(at(OTHER_PROFILE, OTHER, tier("t2", OTHER, "silver")), 0);
            h.processElement(at(COOKIE_PROFILE, COOKIE, tier("t3", COOKIE, "bronze")), 0);
            int before = changes(h).size();

            h.processBroadcastElement(control("vip", 1, "{trait: tier, equals: gold}"), 0);
            assertThat(changes(h).subList(before, changes(h).size()))
                    .extracting(c -> c.getProfileId() + " " + c.getType() + " v" + c.getVersion())
                    .containsExactly(USER_PROFILE + " ENTERED v1");

            before = changes(h).size();
            h.processBroadcastElement(control("vip", 2, "{trait: tier, in: [gold, silver]}"), 0);
            assertThat(changes(h).subList(before, changes(h).size()))
                    .extracting(c -> c.getProfileId() + " " + c.getType() + " v" + c.getVersion() + " #"
                            + c.getSequence())
                    .containsExactly(OTHER_PROFILE + " ENTERED v2 #1"); // gold stays in: nothing for her

            before = changes(h).size();
            h.processBroadcastElement(new SegmentControl("vip", null), 0);
            assertThat(changes(h).subList(before, changes(h).size()))
                    .extracting(c -> c.getProfileId() + " " + c.getType() + " #" + c.getSequence())
                    .containsExactlyInAnyOrder(USER_PROFILE + " EXITED #2", OTHER_PROFILE + " EXITED #2");
            assertThat(changes(h).get(changes(h).size() - 1).getReason()).contains("segment_deleted");
        }
    }

    private static SegmentControl control(String id, int version, String condition) {
        String json = "{\"id\": \"" + id + "\", \"name\": \"VIP\", \"version\": " + version
                + ", \"destinations\": [\"email-marketing\"], \"condition\": "
                + condition.replace("{trait: tier, ", "{\"trait\": \"tier\", ").replace("equals: gold", "\"equals\": \"gold\"")
                        .replace("in: [gold, silver]", "\"in\": [\"gold\", \"silver\"]") + "}";
        return new SegmentControl(id, json);
    }

    private static List<SegmentChange> changes(ProfileTestHarness h) {
        return ProfileHarness.sideOutput(h, ProfileOperator.SEGMENT_CHANGES);
    }

    private static ProfileCommand at(String profileId, Identifier label, CdpEvent e) {
        return Commands.toProfile(profileId, new EventAtProfile(e, label, 0));
    }

    private static ProfileCommand cmd(String profileId, Object body) {
        return Commands.toProfile(profileId, body);
    }

    private static CdpEvent view(String messageId, Identifier id, int minutes) {
        return event(messageId, id, "track", "Product Viewed", minutes, Map.of("category", "running-shoes"), Map.of());
    }

    private static CdpEvent tier(String messageId, Identifier id, String tier) {
        return event(messageId, id, "identify", null, 0, Map.of(), Map.of("tier", tier));
    }

    private static CdpEvent event(String messageId, Identifier id, String type, String name, int minutes,
            Map<String, Object> properties, Map<String, Object> traits) {
        return CdpEvent.newBuilder().setMessageId(messageId).setType(type).setEvent(name)
                .setEventTime(T.plus(Duration.ofMinutes(minutes))).setIdentifiers(List.of(id))
                .setTraits(new HashMap<>(traits)).setProperties(new HashMap<>(properties))
                .setConsent(new HashMap<>()).setSource(new SourceRef("t", 0, 0L, 0L)).build();
    }

    private static ProfileTestHarness harness()
            throws Exception {
        return ProfileHarness.of(IdentityRules.none(), DEMO, Duration.ofDays(30));
    }
}
