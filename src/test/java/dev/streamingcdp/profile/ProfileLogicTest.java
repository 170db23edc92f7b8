package dev.streamingcdp.profile;

import static dev.streamingcdp.profile.Events.ANON;
import static dev.streamingcdp.profile.Events.at;
import static dev.streamingcdp.profile.Events.consent;
import static dev.streamingcdp.profile.Events.track;
import static dev.streamingcdp.profile.Events.traits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition.Profiles;
import dev.streamingcdp.config.JobDefinition.TraitPolicy;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileLogicTest {

    private static final ProfileLogic LATEST = new ProfileLogic(new Profiles(TraitPolicy.LATEST, null, null, null));
    private static final ProfileLogic BY_SOURCE =
            new ProfileLogic(new Profiles(TraitPolicy.SOURCE_PRIORITY, List.of("crm", "web", "ios"), null, null));

    @Test
    void createGivesAnEmptyProfileSeenOnce() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(5));
        assertThat(p.getIdentifiers()).isEmpty();
        assertThat(p.getEventCounts()).isEmpty();
        assertThat(p.getAbsorbed()).isEmpty();
        assertThat(p.getFirstSeen()).isEqualTo(at(5)).isEqualTo(p.getLastSeen());
    }

    @Test
    void applyCountsPerTypeAndWidensFirstAndLastSeen() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(10));
        assertThat(LATEST.apply(p, track(10))).isTrue();
        LATEST.apply(p, track(30));
        LATEST.apply(p, track(2)); // late arrival
        LATEST.apply(p, traits(20, "web", Map.of()));
        assertThat(p.getEventCounts()).containsExactlyInAnyOrderEntriesOf(Map.of("track", 3L, "identify", 1L));
        assertThat(p.getFirstSeen()).isEqualTo(at(2));
        assertThat(p.getLastSeen()).isEqualTo(at(30));
    }

    @Test
    void applyLeavesIdentifiersAndLabelAlone() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(0));
        LATEST.apply(p, track(1)); // the event carries ANON
        assertThat(p.getIdentifiers()).isEmpty();
        assertThat(p.getLabel()).isEqualTo(ANON);
    }

    @Test
    void latestPolicyKeepsTheValueWithTheLatestEventTime() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(0));
        LATEST.apply(p, traits(20, "crm", Map.of("plan", "gold")));
        LATEST.apply(p, traits(10, "web", Map.of("plan", "silver", "age", 41L))); // older: only age is new
        assertThat(value(p, "plan")).isEqualTo("gold");
        assertThat(value(p, "age")).isEqualTo(41L);
        LATEST.apply(p, traits(30, "ios", Map.of("plan", "bronze")));
        assertThat(p.getTraits().get("plan").getValue()).isEqualTo("bronze");
        assertThat(p.getTraits().get("plan").getUpdatedAt()).isEqualTo(at(30));
        assertThat(p.getTraits().get("plan").getChannel()).isEqualTo("ios");
    }

    @Test
    void sourcePriorityPolicyKeepsTheStrongestChannelThenTheLatest() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(0));
        BY_SOURCE.apply(p, traits(10, "crm", Map.of("plan", "gold")));
        BY_SOURCE.apply(p, traits(20, "web", Map.of("plan", "silver"))); // newer but weaker
        assertThat(value(p, "plan")).isEqualTo("gold");
        BY_SOURCE.apply(p, traits(5, "crm", Map.of("plan", "old"))); // same channel, older
        assertThat(value(p, "plan")).isEqualTo("gold");
        BY_SOURCE.apply(p, traits(15, "crm", Map.of("plan", "platinum")));
        assertThat(value(p, "plan")).isEqualTo("platinum");
    }

    @Test
    void unlistedAndMissingChannelsAreWeakest() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(0));
        BY_SOURCE.apply(p, traits(10, "ios", Map.of("plan", "ios")));
        BY_SOURCE.apply(p, traits(20, "kiosk", Map.of("plan", "kiosk")));
        BY_SOURCE.apply(p, traits(30, null, Map.of("plan", "none")));
        assertThat(value(p, "plan")).isEqualTo("ios");
    }

    @Test
    void tiesAreBrokenTheSameWayWhateverTheOrder() {
        Map<String, Object> one = Map.of("x", 1L);
        Map<String, Object> oneText = Map.of("x", "1");
        for (ProfileLogic logic : List.of(LATEST, BY_SOURCE)) {
            ProfileState ab = ProfileLogic.create("p-1", ANON, at(0));
            logic.apply(ab, traits(10, "web", one));
            logic.apply(ab, traits(10, "web", oneText));
            logic.apply(ab, traits(10, "kiosk", one));
            ProfileState ba = ProfileLogic.create("p-1", ANON, at(0));
            logic.apply(ba, traits(10, "kiosk", one));
            logic.apply(ba, traits(10, "web", oneText));
            logic.apply(ba, traits(10, "web", one));
            assertThat(ab.getTraits()).isEqualTo(ba.getTraits());
        }
    }

    @Test
    void aProfileKeepsAtMostMaxTraitNamesButStillUpdatesTheOnesItHas() {
        ProfileLogic two = new ProfileLogic(new Profiles(TraitPolicy.LATEST, null, null, 2));
        ProfileState p = ProfileLogic.create("p-1", ANON, at(0));
        two.apply(p, traits(10, "web", Map.of("a", 1L, "b", 2L)));
        two.apply(p, traits(20, "web", Map.of("c", 3L, "a", 4L)));
        assertThat(p.getTraits()).containsOnlyKeys("a", "b");
        assertThat(value(p, "a")).isEqualTo(4L);

        ProfileState other = ProfileLogic.create("p-2", ANON, at(0));
        two.apply(other, traits(30, "web", Map.of("d", 5L, "b", 6L)));
        two.absorb(p, other);
        assertThat(p.getTraits()).containsOnlyKeys("a", "b");
        assertThat(value(p, "b")).isEqualTo(6L);
    }

    @Test
    void aNullTraitValueIsAValueLikeAnyOther() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(0));
        Map<String, Object> cleared = new java.util.HashMap<>();
        cleared.put("plan", null);
        LATEST.apply(p, traits(10, "web", Map.of("plan", "gold")));
        LATEST.apply(p, traits(20, "web", cleared));
        assertThat(p.getTraits()).containsKey("plan");
        assertThat(value(p, "plan")).isNull();
    }

    @Test
    void consentFollowsTheLatestEventTimeAndWithdrawalWinsATie() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(0));
        LATEST.apply(p, consent(20, Map.of("marketing", true)));
        LATEST.apply(p, consent(10, Map.of("marketing", false, "analytics", true))); // older marketing ignored
        assertThat(p.getConsent().get("marketing").getGranted()).isTrue();
        assertThat(p.getConsent().get("analytics").getGranted()).isTrue();
        LATEST.apply(p, consent(20, Map.of("marketing", false)));
        assertThat(p.getConsent().get("marketing").getGranted()).isFalse();
        LATEST.apply(p, consent(20, Map.of("marketing", true)));
        assertThat(p.getConsent().get("marketing").getGranted()).isFalse();
        LATEST.apply(p, consent(21, Map.of("marketing", true)));
        assertThat(p.getConsent().get("marketing").getGranted()).isTrue();
        assertThat(p.getConsent().get("marketing").getUpdatedAt()).isEqualTo(at(21));
    }

    @Test
    void absorbMovesEverything() {
        ProfileState survivor = profile("p-s", new Identifier("user_id", "u1"),
                track(10), traits(20, "web", Map.of("plan", "gold", "city", "Oslo")),
                consent(20, Map.of("marketing", true)));
        ProfileState absorbed = profile("p-a", new Identifier("anonymous_id", "a1"),
                track(5), track(40), traits(30, "ios", Map.of("plan", "silver")),
                consent(10, Map.of("marketing", false, "analytics", true)));
        absorbed.getAbsorbed().add("p-older");

        assertThat(LATEST.absorb(survivor, absorbed)).isTrue();

        assertThat(survivor.getProfileId()).isEqualTo("p-s");
        assertThat(survivor.getLabel()).isEqualTo(new Identifier("user_id", "u1"));
        assertThat(survivor.getEventCounts()).containsExactlyInAnyOrderEntriesOf(Map.of("track", 3L, "identify", 4L));
        assertThat(survivor.getFirstSeen()).isEqualTo(at(5));
        assertThat(survivor.getLastSeen()).isEqualTo(at(40));
        assertThat(survivor.getIdentifiers()).containsOnlyKeys("user_id:u1", "anonymous_id:a1");
        assertThat(value(survivor, "plan")).isEqualTo("silver");
        assertThat(value(survivor, "city")).isEqualTo("Oslo");
        assertThat(survivor.getConsent().get("marketing").getGranted()).isTrue();
        assertThat(survivor.getConsent().get("analytics").getGranted()).isTrue();
        assertThat(survivor.getAbsorbed()).containsExactly("p-a", "p-older");
    }

    @Test
    void absorbingTheSameProfileTwiceChangesNothingTheSecondTime() {
        ProfileState survivor = profile("p-s", new Identifier("user_id", "u1"), track(10));
        ProfileState absorbed = profile("p-a", ANON, track(5), traits(30, "ios", Map.of("plan", "silver")));
        ProfileState retry = ProfileState.newBuilder(absorbed).build();
        assertThat(LATEST.absorb(survivor, absorbed)).isTrue();
        ProfileState afterFirst = ProfileState.newBuilder(survivor).build();

        assertThat(LATEST.absorb(survivor, retry)).isFalse();
        assertThat(survivor).isEqualTo(afterFirst);
        assertThat(LATEST.absorb(survivor, survivor)).isFalse();
        assertThat(survivor).isEqualTo(afterFirst);
    }

    @Test
    void absorbedTraitsAreCopiedSoLaterEventsDoNotChangeTheAbsorbedProfile() {
        ProfileState survivor = profile("p-s", new Identifier("user_id", "u1"), track(1));
        ProfileState absorbed = profile("p-a", ANON, traits(10, "web", Map.of("plan", "silver")));
        LATEST.absorb(survivor, absorbed);
        LATEST.apply(survivor, traits(20, "web", Map.of("plan", "gold")));
        assertThat(value(absorbed, "plan")).isEqualTo("silver");
    }

    @Test
    void absorbUnderSourcePriorityKeepsTheStrongerChannel() {
        ProfileState survivor = profile("p-s", new Identifier("user_id", "u1"),
                BY_SOURCE, traits(10, "crm", Map.of("plan", "gold")));
        ProfileState absorbed = profile("p-a", ANON, BY_SOURCE, traits(50, "web", Map.of("plan", "silver")));
        BY_SOURCE.absorb(survivor, absorbed);
        assertThat(value(survivor, "plan")).isEqualTo("gold");
    }

    @Test
    void worksOnStatesDecodedFromAvroAsTheOperatorsStateBackendReturnsThem() throws Exception {
        ProfileState survivor = decoded(profile("p-s", new Identifier("user_id", "u1"), track(10)));
        ProfileState absorbed = profile("p-a", ANON, traits(20, "web", Map.of("plan", "gold")));
        absorbed.getAbsorbed().add("p-older");
        absorbed = decoded(absorbed);
        survivor.getAbsorbed().add("p-z");

        LATEST.apply(survivor, traits(30, "web", Map.of("plan", "silver")));
        assertThat(LATEST.absorb(survivor, absorbed)).isTrue();
        assertThat(survivor.getAbsorbed()).containsExactly("p-a", "p-older", "p-z");
        assertThat(value(survivor, "plan")).isEqualTo("silver");
        assertThat(LATEST.absorb(survivor, absorbed)).isFalse();
    }

    @Test
    void namespaceCountsAndKeys() {
        ProfileState p = ProfileLogic.create("p-1", ANON, at(0));
        for (Identifier id : List.of(ANON, new Identifier("anonymous_id", "a-2"), new Identifier("email", "x@y.z"))) {
            p.getIdentifiers().put(ProfileLogic.key(id), id);
        }
        assertThat(ProfileLogic.key(ANON)).isEqualTo("anonymous_id:a-1");
        assertThat(ProfileLogic.namespaceCounts(p)).containsExactlyInAnyOrderEntriesOf(
                Map.of("anonymous_id", 2, "email", 1));
    }

    private static ProfileState decoded(ProfileState p) throws java.io.IOException {
        return ProfileState.fromByteBuffer(p.toByteBuffer());
    }

    private static Object value(ProfileState p, String trait) {
        return p.getTraits().get(trait).getValue();
    }

    private static ProfileState profile(String id, Identifier label, CdpEvent... events) {
        return profile(id, label, LATEST, events);
    }

    private static ProfileState profile(String id, Identifier label, ProfileLogic logic, CdpEvent... events) {
        ProfileState p = ProfileLogic.create(id, label, events[0].getEventTime());
        p.getIdentifiers().put(ProfileLogic.key(label), label);
        for (CdpEvent e : events) {
            logic.apply(p, e);
        }
        return p;
    }
}
