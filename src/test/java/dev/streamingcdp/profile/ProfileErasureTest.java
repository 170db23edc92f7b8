package dev.streamingcdp.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.Absorb;
import dev.streamingcdp.identity.avro.ClaimGranted;
import dev.streamingcdp.identity.avro.ClaimIdentifier;
import dev.streamingcdp.identity.avro.ClaimRejected;
import dev.streamingcdp.identity.avro.EraseProfile;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.MergeAnswer;
import dev.streamingcdp.identity.avro.MergeOffer;
import dev.streamingcdp.identity.avro.MergeProposal;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.LinkRejection;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.testing.ProfileHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import dev.streamingcdp.testing.ProfileTestHarness;
import org.junit.jupiter.api.Test;

/** GDPR erasure in the profile operator: what goes, what is told to whom, and what in-flight messages do after. */
class ProfileErasureTest {

    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Suppressions SUPPRESSIONS =
            new Suppressions("a-test-salt-of-some-length", Duration.ofDays(30), GRACE);
    private static final SegmentCatalog DEMO = SegmentCatalog.load(Path.of("jobs/retail-demo"));
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final long REQUESTED_AT = T.plus(Duration.ofDays(1)).toEpochMilli();

    private static final Identifier USER = new Identifier("user_id", "eva");
    private static final Identifier EMAIL = new Identifier("email", "eva@example.com");
    private static final Identifier COOKIE = new Identifier("anonymous_id", "cookie-1");
    private static final Identifier OLD_COOKIE = new Identifier("anonymous_id", "cookie-0");
    private static final String EVA = ProfileId.of(USER);
    private static final String ABSORBED = ProfileId.of(OLD_COOKIE);

    @Test
    void anErasureClearsEveryStateTellsEveryoneAndLeavesOnlyAMarker() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(100);
            eva(h);
            assertThat(changes(h)).extracting(SegmentChange::getType).containsExactly("ENTERED");
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            int feedbackBefore = feedback(h).size();
            int outputBefore = h.extractOutputValues().size();

            h.processElement(cmd(EVA, new EraseProfile("req-1", REQUESTED_AT, new ArrayList<>(List.of(USER)))), 3);

            assertThat(state(h, EVA, ProfileOperator.PROFILE)).isNull();
            assertThat(state(h, EVA, ProfileOperator.STATUS)).isNull();
            assertThat(state(h, EVA, ProfileOperator.SEGMENTS)).isNull();
            assertThat(state(h, EVA, ProfileOperator.ERASED))
                    .isEqualTo(new ErasureMarker("req-1", REQUESTED_AT, 100 + GRACE.toMillis(),
                            Map.of("user_id", 1, "email", 1, "anonymous_id", 2)));
            assertThat(h.numEventTimeTimers()).as("the segment timer is gone").isZero();
            assertThat(h.numProcessingTimeTimers()).as("only the marker's").isEqualTo(1);

            assertThat(h.extractOutputValues()).hasSize(outputBefore + 1).last().satisfies(u -> {
                assertThat(u.getProfileId()).isEqualTo(EVA);
                assertThat(u.getState()).as("a tombstone").isNull();
                assertThat(u.getMergedInto()).isNull();
            });
            assertThat(changes(h)).hasSize(2).last().satisfies(c -> {
                assertThat(c.getType()).isEqualTo("EXITED");
                assertThat(c.getSegmentId()).isEqualTo("retention-offer");
                assertThat(c.getReason()).contains("\"trigger\":\"erased\"").contains("\"requestId\":\"req-1\"");
            });
            assertThat(activation(h)).last().satisfies(a -> {
                assertThat(a.getErased()).isTrue();
                assertThat(a.getRequestId()).isEqualTo("req-1");
                assertThat(a.getMembers()).isEmpty();
                assertThat(a.getIdentifiers()).containsExactlyInAnyOrder(USER, EMAIL, COOKIE, OLD_COOKIE);
            });

            List<FeedbackMessage> sent = feedback(h).subList(feedbackBefore, feedback(h).size());
            assertThat(forgets(sent)).containsExactlyInAnyOrder("user_id:eva", "email:eva@example.com",
                    "anonymous_id:cookie-1", "anonymous_id:cookie-0");
            assertThat(sent).filteredOn(m -> m.getCommand() instanceof IdentityCommand)
                    .allSatisfy(m -> assertThat(((IdentityCommand) m.getCommand()).getBody())
                            .isEqualTo(new ForgetIdentifier(EVA, true)));
            assertThat(sent).filteredOn(m -> m.getCommand() instanceof SuppressionUpdate).singleElement()
                    .satisfies(m -> {
                        SuppressionUpdate u = (SuppressionUpdate) m.getCommand();
                        assertThat(u.getAdd()).containsExactlyInAnyOrder(SUPPRESSIONS.hash(USER),
                                SUPPRESSIONS.hash(EMAIL), SUPPRESSIONS.hash(COOKIE), SUPPRESSIONS.hash(OLD_COOKIE));
                        assertThat(u.getEntry().getSince()).isEqualTo(REQUESTED_AT);
                    });
            assertThat(erasures(sent)).as("what she absorbed, and the ids her identifiers would anchor")
                    .containsExactlyInAnyOrder(ABSORBED, ProfileId.of(EMAIL), ProfileId.of(COOKIE));

            // a replayed erasure changes nothing
            int all = feedback(h).size();
            h.processElement(cmd(EVA, new EraseProfile("req-1", REQUESTED_AT, new ArrayList<>(List.of(USER)))), 4);
            assertThat(feedback(h)).hasSize(all);
            assertThat(h.extractOutputValues()).hasSize(outputBefore + 1);
            assertThat(activation(h)).hasSize(2);
        }
    }

    @Test
    void messagesInFlightDoNotRecreateHerUntilTheMarkerGoes() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(100);
            eva(h);
            h.processElement(cmd(EVA, new EraseProfile("req-1", REQUESTED_AT, new ArrayList<>(List.of(USER)))), 3);
            int feedbackBefore = feedback(h).size();
            int outputBefore = h.extractOutputValues().size();

            // an event routed before the erasure, a claim granted late, an offer and a proposal
            h.processElement(cmd(EVA, new EventAtProfile(event("m9", USER, COOKIE), USER, 0)), 4);
            h.processElement(cmd(EVA, new ClaimGranted(COOKIE)), 5);
            Identifier device = new Identifier("device_id", "d-1");
            h.processElement(cmd(EVA, new MergeOffer("p-dev", device, USER, Map.of("device_id", 1), "m10")), 6);
            h.processElement(cmd(EVA, new MergeProposal("p-other", new Identifier("user_id", "a"), "m11")), 7);

            assertThat(state(h, EVA, ProfileOperator.PROFILE)).isNull();
            assertThat(state(h, EVA, ProfileOperator.STATUS)).isNull();
            assertThat(h.extractOutputValues()).hasSize(outputBefore);
            assertThat(deadLetters(h)).singleElement().satisfies(d -> {
                assertThat(d.getReason()).isEqualTo("suppressed");
                assertThat(d.getDetail()).contains("req-1");
                assertThat(d.getPayload().remaining()).isZero();
                assertThat(d.getSource().getOffset()).isEqualTo(9);
            });
            List<FeedbackMessage> sent = feedback(h).subList(feedbackBefore, feedback(h).size());
            assertThat(sent).filteredOn(m -> m.getCommand() instanceof IdentityCommand)
                    .extracting(m -> ((IdentityCommand) m.getCommand()).getKey() + " "
                            + ((IdentityCommand) m.getCommand()).getBody())
                    .as("only nodes that still point to her let go")
                    .containsExactly("user_id:eva " + new ForgetIdentifier(EVA, false),
                            "anonymous_id:cookie-1 " + new ForgetIdentifier(EVA, false),
                            "anonymous_id:cookie-1 " + new ForgetIdentifier(EVA, false));
            // linked to her meanwhile: the offer is answered "erased" (its sender erases itself), the proposer
            // gets her namespace counts offered (its acceptance would erase it)
            assertThat(sent).filteredOn(m -> m.getCommand() instanceof ProfileCommand)
                    .extracting(m -> (ProfileCommand) m.getCommand()).satisfiesExactly(c -> {
                        assertThat(c.getProfileId()).isEqualTo("p-dev");
                        assertThat(c.getBody()).isEqualTo(new MergeAnswer(EVA, USER, false, "erased", EVA));
                    }, c -> {
                        assertThat(c.getProfileId()).isEqualTo("p-other");
                        assertThat(c.getBody()).isInstanceOfSatisfying(MergeOffer.class, o -> {
                            assertThat(o.getFromId()).isEqualTo(EVA);
                            assertThat(o.getNamespaceCounts())
                                    .isEqualTo(Map.of("user_id", 1, "email", 1, "anonymous_id", 2));
                        });
                    });

            // after the grace period the id is free again (a new event would start a new profile)
            h.setProcessingTime(100 + GRACE.toMillis());
            assertThat(state(h, EVA, ProfileOperator.ERASED)).isNull();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aProfileLinkedToAnErasedOneOffersItselfToHerMarkerAndIsErasedAsJudged() throws Exception {
        Identifier phone = new Identifier("phone", "+14155550199");
        String byPhone = ProfileId.of(phone);
        try (var h = harness()) {
            h.setProcessingTime(100);
            h.processElement(cmd(EVA, new EraseProfile("req-1", REQUESTED_AT, new ArrayList<>(List.of(USER)))), 1);
            // her cookie with a phone never seen: the phone's new profile claims the cookie, whose node is erased
            h.processElement(at(byPhone, phone, event("m1", phone, COOKIE)), 2);
            int before = feedback(h).size();
            h.processElement(cmd(byPhone, new ClaimRejected(COOKIE, "erased", EVA, "m1")), 3);
            ProfileCommand offer = onlyProfileCommand(feedback(h).subList(before, feedback(h).size()));
            assertThat(offer.getProfileId()).isEqualTo(EVA);
            assertThat(offer.getBody()).isEqualTo(new MergeOffer(byPhone, phone, phone, Map.of("phone", 1), "m1"));
            assertThat(state(h, byPhone, ProfileOperator.PROFILE)).as("it waits for the judgement").isNotNull();

            before = feedback(h).size();
            h.processElement(offer, 4);
            ProfileCommand answer = onlyProfileCommand(feedback(h).subList(before, feedback(h).size()));
            assertThat(answer.getBody()).isEqualTo(new MergeAnswer(EVA, phone, false, "erased", EVA));
            h.processElement(answer, 5);
            assertThat(state(h, byPhone, ProfileOperator.PROFILE)).isNull();
            assertThat(state(h, byPhone, ProfileOperator.ERASED).getRequestId()).isEqualTo("linked-to-erased:" + EVA);
            assertThat(h.extractOutputValues()).last().satisfies(u -> assertThat(u.getState()).isNull());
            assertThat(forgets(feedback(h))).containsExactly("phone:+14155550199");
            assertThat(rejections(h)).as("not a rule's rejection").isEmpty();

            // the marker lapsed a hop before the tombstone: an offer that knows no label is still answered "erased"
            before = feedback(h).size();
            h.processElement(cmd("p-lapsed", new MergeOffer(byPhone, phone, phone, Map.of("phone", 1), "m2")), 6);
            assertThat(onlyProfileCommand(feedback(h).subList(before, feedback(h).size())).getBody())
                    .isEqualTo(new MergeAnswer("p-lapsed", phone, false, "erased", "p-lapsed"));
            assertThat(state(h, "p-lapsed", ProfileOperator.PROFILE)).isNull();
        }
    }

    private static ProfileCommand onlyProfileCommand(List<FeedbackMessage> sent) {
        List<ProfileCommand> commands = sent.stream().filter(m -> m.getCommand() instanceof ProfileCommand)
                .map(m -> (ProfileCommand) m.getCommand()).toList();
        assertThat(commands).hasSize(1);
        return commands.get(0);
    }

    @Test
    void anOfferThatBreaksARuleWithHerCountsIsRefusedByThatRule() throws Exception {
        JobDefinition.Profiles settings = new JobDefinition.Profiles(null, null, Duration.ofDays(30), null);
        try (var h = ProfileHarness.of(new ProfileOperator(IdentityRules.load(Path.of("jobs/retail-demo")),
                new ProfileLogic(settings), Duration.ofDays(30), new ProfileSegments(DEMO, Duration.ofSeconds(1)),
                SUPPRESSIONS, ProfileHarness.CACHE), true)) {
            h.setProcessingTime(100);
            eva(h);
            h.processElement(cmd(EVA, new EraseProfile("req-1", REQUESTED_AT, new ArrayList<>(List.of(USER)))), 3);
            int before = feedback(h).size();
            // another person (a second user id) sharing something of hers: she and he could not have merged
            h.processElement(cmd(EVA, new MergeOffer("p-bob", new Identifier("user_id", "bob"), USER,
                    Map.of("user_id", 1), "m12")), 4);
            assertThat(feedback(h).subList(before, feedback(h).size())).singleElement()
                    .satisfies(m -> assertThat(((ProfileCommand) m.getCommand()).getBody())
                            .isInstanceOfSatisfying(MergeAnswer.class, a -> {
                                assertThat(a.getAccepted()).isFalse();
                                assertThat(a.getRule()).isEqualTo("unique");
                            }));
        }
    }

    @Test
    void aProfileAbsorbedIntoHerAfterTheErasureIsErasedToo() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(100);
            h.processElement(cmd(EVA, new EraseProfile("req-1", REQUESTED_AT, new ArrayList<>(List.of(USER)))), 1);
            assertThat(h.extractOutputValues()).as("no profile: nothing to announce").isEmpty();
            assertThat(activation(h)).isEmpty();
            assertThat(state(h, EVA, ProfileOperator.ERASED)).isNotNull();

            ProfileState late = ProfileLogic.create(ABSORBED, OLD_COOKIE, T);
            late.getIdentifiers().put("anonymous_id:cookie-0", OLD_COOKIE);
            h.processElement(cmd(EVA, new Absorb(ABSORBED, USER, Map.of(), late, Map.of(), Map.of())), 2);
            h.processElement(cmd(EVA, new MergeAnswer("p-survivor", new Identifier("user_id", "a"), true, null,
                    null)), 3);

            assertThat(state(h, EVA, ProfileOperator.PROFILE)).isNull();
            assertThat(forgets(feedback(h))).containsExactly("anonymous_id:cookie-0");
            assertThat(feedback(h)).filteredOn(m -> m.getCommand() instanceof SuppressionUpdate)
                    .singleElement().satisfies(m -> assertThat(((SuppressionUpdate) m.getCommand()).getAdd())
                            .containsExactly(SUPPRESSIONS.hash(OLD_COOKIE)));
            assertThat(erasures(feedback(h))).containsExactly(ABSORBED, "p-survivor");
        }
    }

    @Test
    void aPointerLeftByAMergeIsErasedAndPassesTheErasureToItsSurvivor() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(100);
            h.processElement(at(ABSORBED, OLD_COOKIE, event("m1", OLD_COOKIE)), 1);
            h.processElement(cmd(ABSORBED, new MergeProposal(EVA, USER, "m2")), 2);
            h.processElement(cmd(ABSORBED, new MergeAnswer(EVA, USER, true, null, null)), 3);
            assertThat(state(h, ABSORBED, ProfileOperator.STATUS).getMergedInto()).isEqualTo(EVA);
            int feedbackBefore = feedback(h).size();

            h.processElement(cmd(ABSORBED, new EraseProfile("req-1", REQUESTED_AT,
                    new ArrayList<>(List.of(OLD_COOKIE, USER)))), 4);

            assertThat(state(h, ABSORBED, ProfileOperator.STATUS)).isNull();
            assertThat(h.extractOutputValues()).last().satisfies(u -> {
                assertThat(u.getProfileId()).isEqualTo(ABSORBED);
                assertThat(u.getState()).isNull();
                assertThat(u.getMergedInto()).as("a tombstone, not the merge announcement").isNull();
            });
            assertThat(activation(h)).last().satisfies(a -> {
                assertThat(a.getProfileId()).isEqualTo(ABSORBED);
                assertThat(a.getErased()).isTrue();
                assertThat(a.getIdentifiers()).containsExactlyInAnyOrder(OLD_COOKIE, USER);
            });
            assertThat(erasures(feedback(h).subList(feedbackBefore, feedback(h).size()))).containsExactly(EVA);
        }
    }

    /** Eva: identify (user id, e-mail, cookie; the e-mail claim granted, the cookie's still out), a page, an absorb. */
    private static void eva(ProfileTestHarness h)
            throws Exception {
        CdpEvent identify = event("m1", USER, EMAIL, COOKIE);
        identify.getTraits().put("intent_to_cancel", true);
        identify.getTraits().put("first_name", "Evangeline");
        h.processElement(at(EVA, USER, identify), 1);
        h.processElement(cmd(EVA, new ClaimGranted(EMAIL)), 1);
        ProfileState old = ProfileLogic.create(ABSORBED, OLD_COOKIE, T);
        old.getIdentifiers().put("anonymous_id:cookie-0", OLD_COOKIE);
        h.processElement(cmd(EVA, new Absorb(ABSORBED, USER, Map.of(), old, Map.of(), Map.of())), 1);
        CdpEvent page = event("m2", USER);
        page.setType("page");
        page.setEventTime(T.plusSeconds(60));
        h.processElement(at(EVA, USER, page), 2);
        assertThat(feedback(h)).filteredOn(m -> m.getCommand() instanceof IdentityCommand c
                && c.getBody() instanceof ClaimIdentifier).hasSize(2);
        assertThat(state(h, EVA, ProfileOperator.PROFILE).getIdentifiers()).hasSize(3);
    }

    private static List<String> forgets(List<FeedbackMessage> sent) {
        return sent.stream().filter(m -> m.getCommand() instanceof IdentityCommand c
                && c.getBody() instanceof ForgetIdentifier).map(m -> ((IdentityCommand) m.getCommand()).getKey())
                .toList();
    }

    private static List<String> erasures(List<FeedbackMessage> sent) {
        return sent.stream().filter(m -> m.getCommand() instanceof ProfileCommand c
                && c.getBody() instanceof EraseProfile).map(m -> ((ProfileCommand) m.getCommand()).getProfileId())
                .toList();
    }

    private static <T> T state(ProfileTestHarness h, String key, ValueStateDescriptor<T> descriptor) throws Exception {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) h.getOperator();
        operator.setCurrentKey(key);
        return operator.getKeyedStateBackend()
                .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor).value();
    }

    private static List<FeedbackMessage> feedback(ProfileTestHarness h) {
        return values(h.getSideOutput(ProfileOperator.FEEDBACK));
    }

    private static List<SegmentChange> changes(ProfileTestHarness h) {
        return values(h.getSideOutput(ProfileOperator.SEGMENT_CHANGES));
    }

    private static List<ActivationInput> activation(ProfileTestHarness h) {
        return values(h.getSideOutput(ProfileOperator.ACTIVATION));
    }

    private static List<LinkRejection> rejections(ProfileTestHarness h) {
        return values(h.getSideOutput(ProfileOperator.REJECTED_LINKS));
    }

    private static List<DeadLetter> deadLetters(ProfileTestHarness h) {
        return values(h.getSideOutput(DeadLetters.TAG));
    }

    private static <T> List<T> values(java.util.Collection<StreamRecord<T>> records) {
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private static ProfileCommand at(String profileId, Identifier label, CdpEvent e) {
        return Commands.toProfile(profileId, new EventAtProfile(e, label, 0));
    }

    private static ProfileCommand cmd(String profileId, Object body) {
        return Commands.toProfile(profileId, body);
    }

    private static CdpEvent event(String messageId, Identifier... ids) {
        return CdpEvent.newBuilder().setMessageId(messageId).setType("identify").setEventTime(T)
                .setIdentifiers(List.of(ids)).setTraits(new HashMap<>()).setProperties(new HashMap<>())
                .setConsent(new HashMap<>())
                .setSource(new SourceRef("events", 0, Long.parseLong(messageId.substring(1)), 0L)).build();
    }

    private static ProfileTestHarness harness()
            throws Exception {
        JobDefinition.Profiles settings = new JobDefinition.Profiles(null, null, Duration.ofDays(30), null);
        return ProfileHarness.of(new ProfileOperator(IdentityRules.none(), new ProfileLogic(settings),
                Duration.ofDays(30), new ProfileSegments(DEMO, Duration.ofSeconds(1)), SUPPRESSIONS,
                ProfileHarness.CACHE), true);
    }
}
