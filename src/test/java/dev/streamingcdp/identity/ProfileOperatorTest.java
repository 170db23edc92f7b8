package dev.streamingcdp.identity;

import static dev.streamingcdp.identity.HarnessSupport.event;
import static dev.streamingcdp.identity.HarnessSupport.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.avro.Absorb;
import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.ClaimIdentifier;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.MergeAnswer;
import dev.streamingcdp.identity.avro.MergeOffer;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.identity.avro.RelabelIdentifier;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.LinkRejection;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.profile.ProfileLogic;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.testing.ProfileHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import dev.streamingcdp.testing.ProfileTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile operator's state, its side of the merge protocol, and the expiry timer of anonymous profiles. */
class ProfileOperatorTest {

    private static final Duration TTL = Duration.ofHours(1);
    private static final Identifier COOKIE = id("anonymous_id", "cookie-1");
    private static final Identifier USER = id("user_id", "u-1");
    private static final String COOKIE_PROFILE = ProfileId.of(COOKIE);
    private static final String USER_PROFILE = ProfileId.of(USER);
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aNewProfileHoldsItsLabelAndClaimsEachOtherIdentifierOnce() throws Exception {
        Identifier device = id("device_id", "d-1");
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(at(COOKIE_PROFILE, COOKIE, event("m1", "page", T, COOKIE, device)), 1);
            h.processElement(at(COOKIE_PROFILE, COOKIE, event("m2", "page", T.plusSeconds(1), COOKIE, device)), 2);

            ProfileState p = profile(h, COOKIE_PROFILE);
            assertThat(p.getIdentifiers()).containsOnlyKeys("anonymous_id:cookie-1");
            assertThat(p.getEventCounts()).containsEntry("page", 2L);
            assertThat(feedback(h)).hasSize(1).first().satisfies(m -> {
                IdentityCommand c = (IdentityCommand) m.getCommand();
                assertThat(c.getKey()).isEqualTo("device_id:d-1");
                assertThat(c.getBody()).isInstanceOf(ClaimIdentifier.class);
            });
            assertThat(h.extractOutputValues()).extracting(u -> u.getState().getEventCounts().get("page"))
                    .containsExactly(1L, 2L);
        }
    }

    @Test
    void theWeakerProfileOffersItselfDefersEventsAndMovesEverythingOnAcceptance() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(at(COOKIE_PROFILE, COOKIE, event("m1", "page", T, COOKIE)), 1);
            // the cookie turned out to belong to the user's profile, which has the stronger label
            h.processElement(cmd(COOKIE_PROFILE, new ClaimConflict(COOKIE, USER_PROFILE, USER, "m9")), 2);
            h.processElement(at(COOKIE_PROFILE, COOKIE, event("m2", "page", T, COOKIE)), 3);
            assertThat(profile(h, COOKIE_PROFILE).getEventCounts()).containsEntry("page", 1L); // m2 waits

            List<FeedbackMessage> sent = feedback(h);
            assertThat(sent).singleElement().satisfies(m -> {
                ProfileCommand c = (ProfileCommand) m.getCommand();
                assertThat(c.getProfileId()).isEqualTo(USER_PROFILE);
                assertThat(c.getBody()).isInstanceOfSatisfying(MergeOffer.class,
                        o -> assertThat(o.getNamespaceCounts()).isEqualTo(Map.of("anonymous_id", 1)));
            });

            h.processElement(cmd(COOKIE_PROFILE, new MergeAnswer(USER_PROFILE, USER, true, null, null)), 4);
            List<FeedbackMessage> after = feedback(h).subList(1, feedback(h).size());
            assertThat(after).anySatisfy(m -> assertThat(((ProfileCommand) m.getCommand()).getBody())
                    .isInstanceOfSatisfying(Absorb.class,
                            a -> assertThat(a.getState().getEventCounts()).containsEntry("page", 1L)));
            assertThat(after).anySatisfy(m -> assertThat(m.getCommand()).isInstanceOfSatisfying(IdentityCommand.class,
                    c -> assertThat(c.getBody()).isInstanceOf(RelabelIdentifier.class)));
            assertThat(after).anySatisfy(m -> assertThat(((Object) m.getCommand())).isInstanceOfSatisfying(
                    ProfileCommand.class, c -> assertThat(c.getBody()).isInstanceOfSatisfying(EventAtProfile.class,
                            e -> assertThat(e.getRedirects()).isEqualTo(1))));
            assertThat(profile(h, COOKIE_PROFILE)).isNull();
            assertThat(h.extractOutputValues()).last().satisfies(u -> assertThat(u.getMergedInto()).isEqualTo(USER_PROFILE));
        }
    }

    @Test
    void theSurvivorRejectsAnOfferThatWouldBreakARule(@TempDir Path dir) throws Exception {
        try (var h = harness(HarnessSupport.strictRules(dir))) {
            h.open();
            h.processElement(at(USER_PROFILE, USER, event("m1", "identify", T, USER)), 1);
            h.processElement(cmd(USER_PROFILE, new MergeOffer("p-u2", id("user_id", "u-2"), USER,
                    Map.of("user_id", 1), "m7")), 2);

            assertThat(feedback(h)).singleElement().satisfies(m -> assertThat(((ProfileCommand) m.getCommand())
                    .getBody()).isInstanceOfSatisfying(MergeAnswer.class, a -> {
                        assertThat(a.getAccepted()).isFalse();
                        assertThat(a.getRule()).isEqualTo("unique");
                    }));
            assertThat(h.getSideOutput(ProfileOperator.REJECTED_LINKS)).extracting(StreamRecord::getValue)
                    .extracting(LinkRejection::getRule, LinkRejection::getMessageId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("unique", "m7"));
        }
    }

    @Test
    void aRepeatedAbsorbChangesNothing() throws Exception {
        ProfileState cookieState = ProfileLogic.create(COOKIE_PROFILE, COOKIE, T);
        cookieState.getIdentifiers().put("anonymous_id:cookie-1", COOKIE);
        cookieState.getEventCounts().put("page", 3L);
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(at(USER_PROFILE, USER, event("m1", "identify", T, USER)), 1);
            Absorb absorb = new Absorb(COOKIE_PROFILE, USER, Map.of(), cookieState, Map.of(), Map.of());
            h.processElement(cmd(USER_PROFILE, absorb), 2);
            h.processElement(cmd(USER_PROFILE, absorb), 3);

            ProfileState p = profile(h, USER_PROFILE);
            assertThat(p.getEventCounts()).isEqualTo(Map.of("identify", 1L, "page", 3L));
            assertThat(p.getIdentifiers()).containsOnlyKeys("user_id:u-1", "anonymous_id:cookie-1");
            assertThat(p.getAbsorbed()).containsExactly(COOKIE_PROFILE);
        }
    }

    @Test
    void anAnonymousProfileUnseenForTheTtlIsRemovedAndItsIdentifiersReleased() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(at(COOKIE_PROFILE, COOKIE, event("m1", "page", T, COOKIE)), 1);
            h.processElement(at(USER_PROFILE, USER, event("m2", "identify", T, USER)), 2);
            h.setProcessingTime(TTL.toMillis() / 2);
            h.processElement(at(COOKIE_PROFILE, COOKIE, event("m3", "page", T, COOKIE)), 3); // seen again
            h.setProcessingTime(TTL.toMillis() + 1);
            assertThat(profile(h, COOKIE_PROFILE)).as("not yet: it was seen at half the TTL").isNotNull();

            h.setProcessingTime(2 * TTL.toMillis());
            assertThat(profile(h, COOKIE_PROFILE)).isNull();
            assertThat(profile(h, USER_PROFILE)).as("known profiles never expire").isNotNull();
            assertThat(h.extractOutputValues()).last().satisfies(u -> {
                assertThat(u.getProfileId()).isEqualTo(COOKIE_PROFILE);
                assertThat(u.getState()).isNull();
                assertThat(u.getMergedInto()).isNull();
            });
            assertThat(feedback(h)).anySatisfy(m -> assertThat(((IdentityCommand) m.getCommand()).getBody())
                    .isInstanceOf(ForgetIdentifier.class));
        }
    }

    @Test
    void anAnswerLeftOnTheFeedbackTopicByAnEarlierRunChangesNothing() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(cmd(COOKIE_PROFILE, new MergeAnswer(USER_PROFILE, USER, true, null, null)), 1);
            assertThat(profile(h, COOKIE_PROFILE)).isNull();
            assertThat(h.getSideOutput(ProfileOperator.FEEDBACK)).as("nothing sent").isNull();
            h.processElement(at(COOKIE_PROFILE, COOKIE, event("m1", "page", T, COOKIE)), 2); // and it still works
            assertThat(profile(h, COOKIE_PROFILE).getEventCounts()).containsEntry("page", 1L);
        }
    }

    private static ProfileCommand at(String profileId, Identifier label, dev.streamingcdp.model.CdpEvent e) {
        return Commands.toProfile(profileId, new EventAtProfile(e, label, 0));
    }

    private static ProfileCommand cmd(String profileId, Object body) {
        return Commands.toProfile(profileId, body);
    }

    private static ProfileState profile(ProfileTestHarness h,
            String profileId) throws Exception {
        return HarnessSupport.state(h, profileId, ProfileOperator.PROFILE);
    }

    private static List<FeedbackMessage> feedback(
            ProfileTestHarness h) {
        return h.getSideOutput(ProfileOperator.FEEDBACK).stream().map(StreamRecord::getValue).toList();
    }

    private static ProfileTestHarness harness(
            IdentityRules rules) throws Exception {
        return ProfileHarness.of(rules, new SegmentCatalog(List.of(), List.of()), TTL);
    }
}
