package dev.streamingcdp.identity;

import static dev.streamingcdp.identity.HarnessSupport.event;
import static dev.streamingcdp.identity.HarnessSupport.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.avro.ClaimIdentifier;
import dev.streamingcdp.identity.avro.ClaimRejected;
import dev.streamingcdp.identity.avro.EraseIdentifier;
import dev.streamingcdp.identity.avro.EraseProfile;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.EventForAnchor;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.IdentityNode;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.identity.avro.RelabelIdentifier;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure in the identity operator: the node names the profile to erase and becomes a tombstone, which refuses events
 * and claims until the grace is over, and then leaves the state.
 */
class IdentityErasureTest {

    private static final Identifier PHONE = id("phone", "+14155550123");
    private static final Identifier USER = id("user_id", "eva");
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final long GRACE = Duration.ofMinutes(10).toMillis();

    @Test
    void anErasureGoesToTheIdentifiersProfileAndTheNodeBecomesATombstone() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(Commands.toIdentifier(PHONE, new ClaimIdentifier(ProfileId.of(USER), USER, "m1",
                    List.of("eva"))), 1);
            h.processElement(Commands.toIdentifier(PHONE, new EraseIdentifier("req-1", 5L)), 2);

            assertThat(h.extractOutputValues()).last().satisfies(c -> {
                assertThat(c.getProfileId()).isEqualTo(ProfileId.of(USER));
                assertThat(c.getBody()).isEqualTo(new EraseProfile("req-1", 5L, List.of(PHONE)));
            });
            assertThat(node(h, PHONE)).isEqualTo(tombstone(ProfileId.of(USER), GRACE));
        }
    }

    @Test
    void anUnknownIdentifierMarksTheProfileItWouldAnchor() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(Commands.toIdentifier(PHONE, new EraseIdentifier("req-1", 5L)), 1);
            assertThat(h.extractOutputValues()).singleElement()
                    .satisfies(c -> assertThat(c.getProfileId()).isEqualTo(ProfileId.of(PHONE)));
            assertThat(node(h, PHONE)).as("only a tombstone").isEqualTo(tombstone(ProfileId.of(PHONE), GRACE));
        }
    }

    @Test
    void anErasingForgetTombstonesTheNodeWhateverItHoldsAPlainOneOnlyItsOwn(@TempDir Path dir) throws Exception {
        Identifier device = id("device_id", "d-1");
        try (var h = harness(HarnessSupport.strictRules(dir))) {
            h.open();
            // the shared-device guard remembers her user id on the device's node
            h.processElement(Commands.toIdentifier(device, new ClaimIdentifier("p-eva", USER, "m1", List.of("eva"))), 1);
            h.processElement(Commands.toIdentifier(device, new ForgetIdentifier("p-eva", false)), 2);
            assertThat(node(h, device)).as("the guard's memory stays").isNotNull()
                    .satisfies(n -> assertThat(n.getProfileId()).isNull());
            h.processElement(Commands.toIdentifier(device, new ForgetIdentifier("p-eva", true)), 3);
            assertThat(node(h, device)).as("the guard's memory goes too").isEqualTo(tombstone("p-eva", GRACE));

            h.processElement(Commands.toIdentifier(USER, new EventForAnchor(event("m2", "page", T, USER))), 4);
            h.processElement(Commands.toIdentifier(USER, new ForgetIdentifier("p-someone-else", false)), 5);
            assertThat(node(h, USER)).isNotNull();
            h.processElement(Commands.toIdentifier(USER, new ForgetIdentifier("p-someone-else", true)), 6);
            assertThat(node(h, USER)).isEqualTo(tombstone("p-someone-else", GRACE));
            Identifier fresh = id("email", "never-seen@example.com");
            h.processElement(Commands.toIdentifier(fresh, new ForgetIdentifier("p-someone-else", true)), 7);
            assertThat(node(h, fresh)).as("also where no node was").isEqualTo(tombstone("p-someone-else", GRACE));
        }
    }

    @Test
    void aTombstoneDeadLettersEventsRejectsClaimsAsErasedAndGoesAfterTheGrace() throws Exception {
        try (var h = harness(IdentityRules.none())) {
            h.open();
            h.processElement(Commands.toIdentifier(PHONE, new ForgetIdentifier("p-eva", true)), 1);
            h.processElement(Commands.toIdentifier(PHONE, new EventForAnchor(event("m1", "page", T, PHONE))), 2);
            h.processElement(Commands.toIdentifier(PHONE, new ClaimIdentifier("p-new", USER, "m2", List.of())), 3);
            h.processElement(Commands.toIdentifier(PHONE, new RelabelIdentifier("p-new", USER)), 4);
            h.processElement(Commands.toIdentifier(PHONE, new ForgetIdentifier("p-eva", false)), 5);

            assertThat(h.extractOutputValues()).as("the event goes nowhere; the claim is refused")
                    .containsExactly(Commands.toProfile("p-new", new ClaimRejected(PHONE, "erased", "p-eva", "m2")));
            assertThat(HarnessSupport.sideOutput(h, DeadLetters.TAG)).singleElement().satisfies(d -> {
                assertThat(d.getReason()).isEqualTo("suppressed");
                assertThat(d.getDetail()).contains("p-eva").doesNotContain(PHONE.getValue());
                assertThat(d.getPayload().remaining()).isZero();
            });
            assertThat(node(h, PHONE)).as("relabel and plain forget change nothing")
                    .isEqualTo(tombstone("p-eva", GRACE));
            h.processElement(Commands.toIdentifier(PHONE, new EraseIdentifier("req-2", 6L)), 6);
            assertThat(h.extractOutputValues()).last().satisfies(c -> {
                assertThat(c.getProfileId()).isEqualTo(ProfileId.of(PHONE));
                assertThat(c.getBody()).isEqualTo(new EraseProfile("req-2", 6L, List.of(PHONE)));
            });
            assertThat(node(h, PHONE)).as("a new request keeps the first erasure's profile id")
                    .isEqualTo(tombstone("p-eva", GRACE));

            h.setProcessingTime(GRACE - 1);
            assertThat(node(h, PHONE)).isNotNull();
            h.setProcessingTime(GRACE);
            assertThat(node(h, PHONE)).as("the key leaves the state").isNull();
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.processElement(Commands.toIdentifier(PHONE, new EventForAnchor(event("m3", "page", T, PHONE))), 7);
            assertThat(h.extractOutputValues()).as("after the grace it routes again").hasSize(3)
                    .last().satisfies(c -> assertThat(c.getBody()).isInstanceOf(EventAtProfile.class));
        }
    }

    private static IdentityNode tombstone(String erasedProfileId, long until) {
        return IdentityNode.newBuilder().setErasedProfileId(erasedProfileId).setErasedUntil(until).build();
    }

    private static IdentityNode node(KeyedOneInputStreamOperatorTestHarness<String, IdentityCommand, ProfileCommand> h,
            Identifier x) throws Exception {
        return HarnessSupport.state(h, x.getNamespace() + ":" + x.getValue(), IdentityFunction.NODE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, IdentityCommand, ProfileCommand> harness(
            IdentityRules rules) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IdentityFunction(rules, Duration.ofMillis(GRACE))),
                IdentityCommand::getKey, Types.STRING);
    }
}
