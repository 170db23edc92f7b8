package dev.streamingcdp.identity;

import static dev.streamingcdp.identity.HarnessSupport.event;
import static dev.streamingcdp.identity.HarnessSupport.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.ClaimGranted;
import dev.streamingcdp.identity.avro.ClaimIdentifier;
import dev.streamingcdp.identity.avro.ClaimRejected;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.EventForAnchor;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.IdentityNode;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.identity.avro.RelabelIdentifier;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity operator's state (one node per identifier) and what it answers. */
class IdentityFunctionTest {

    private static final Identifier COOKIE = id("anonymous_id", "cookie-1");
    private static final Identifier USER = id("user_id", "u-1");
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aNewStrongestIdentifierStartsItsOwnProfileAndKeepsRoutingThere() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(command(COOKIE, new EventForAnchor(event("m1", "page", T, COOKIE))), 1);
            h.processElement(command(COOKIE, new EventForAnchor(event("m2", "page", T, COOKIE))), 2);

            assertThat(out(h)).extracting(ProfileCommand::getProfileId)
                    .containsExactly(ProfileId.of(COOKIE), ProfileId.of(COOKIE));
            assertThat(out(h).get(0).getBody()).isInstanceOfSatisfying(EventAtProfile.class,
                    e -> assertThat(e.getLabel()).isEqualTo(COOKIE));
            assertThat(node(h, COOKIE).getProfileId()).isEqualTo(ProfileId.of(COOKIE));
        }
    }

    @Test
    void aClaimIsGrantedOnceAndConflictsForAnyOtherProfile() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(command(COOKIE, claim("p-user", USER, "m1")), 1);
            h.processElement(command(COOKIE, claim("p-user", USER, "m2")), 2);
            h.processElement(command(COOKIE, claim("p-other", id("user_id", "u-2"), "m3")), 3);

            List<ProfileCommand> answers = out(h);
            assertThat(answers.get(0).getBody()).isInstanceOf(ClaimGranted.class);
            assertThat(answers.get(1).getBody()).isInstanceOf(ClaimGranted.class);
            assertThat(answers.get(2).getProfileId()).isEqualTo("p-other");
            assertThat(answers.get(2).getBody()).isInstanceOfSatisfying(ClaimConflict.class, c -> {
                assertThat(c.getOtherProfileId()).isEqualTo("p-user");
                assertThat(c.getOtherLabel()).isEqualTo(USER);
            });
        }
    }

    @Test
    void relabelsOnlyEverMoveToAStrongerLabel() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(command(COOKIE, new EventForAnchor(event("m1", "page", T, COOKIE))), 1);
            h.processElement(command(COOKIE, new RelabelIdentifier("p-user", USER)), 2);
            h.processElement(command(COOKIE, new RelabelIdentifier("p-weaker", id("device_id", "d-1"))), 3);
            assertThat(node(h, COOKIE).getProfileId()).isEqualTo("p-user");
            assertThat(node(h, COOKIE).getLabel()).isEqualTo(USER);
        }
    }

    @Test
    void aDeviceSeenWithTooManyUsersStopsLinking(@TempDir Path dir) throws Exception {
        Identifier device = id("device_id", "tablet");
        try (var h = harness(HarnessSupport.strictRules(dir))) {
            h.open();
            for (int u = 1; u <= 4; u++) {
                h.processElement(command(device, new ClaimIdentifier("p-" + u, id("user_id", "u" + u), "m" + u,
                        List.of("u" + u))), u);
            }
            List<ProfileCommand> answers = out(h);
            assertThat(answers.subList(0, 3)).allSatisfy(a -> assertThat(a.getBody()).isNotInstanceOf(ClaimRejected.class));
            assertThat(answers.get(3).getBody()).isInstanceOfSatisfying(ClaimRejected.class,
                    r -> assertThat(r.getRule()).isEqualTo("shared_device"));
            assertThat(node(h, device).getShared()).isTrue();
            assertThat(node(h, device).getUserIds()).hasSize(4);
        }
    }

    @Test
    void forgetClearsTheNodeOnlyForItsOwnProfileAndSurvivesRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(command(COOKIE, new EventForAnchor(event("m1", "page", T, COOKIE))), 1);
            h.processElement(command(COOKIE, new ForgetIdentifier("p-someone-else", false)), 2);
            snapshot = h.snapshot(1, 3);
        }
        try (var h = harness(IdentityRules.none())) {
            h.initializeState(snapshot);
            h.open();
            assertThat(node(h, COOKIE).getProfileId()).isEqualTo(ProfileId.of(COOKIE));
            h.processElement(command(COOKIE, new ForgetIdentifier(ProfileId.of(COOKIE), false)), 4);
            assertThat(node(h, COOKIE)).as("a released identifier leaves the state").isNull();
        }
    }

    private static ClaimIdentifier claim(String profileId, Identifier label, String messageId) {
        return new ClaimIdentifier(profileId, label, messageId, List.of());
    }

    private static IdentityCommand command(Identifier target, Object body) {
        return Commands.toIdentifier(target, body);
    }

    private static IdentityNode node(KeyedOneInputStreamOperatorTestHarness<String, IdentityCommand, ProfileCommand> h,
            Identifier x) throws Exception {
        return HarnessSupport.state(h, x.getNamespace() + ":" + x.getValue(), IdentityFunction.NODE);
    }

    private static List<ProfileCommand> out(
            KeyedOneInputStreamOperatorTestHarness<String, IdentityCommand, ProfileCommand> h) {
        return h.extractOutputValues();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, IdentityCommand, ProfileCommand> harness(
            IdentityRules rules) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new IdentityFunction(rules, Duration.ofMinutes(10))),
                IdentityCommand::getKey, Types.STRING);
    }
}
