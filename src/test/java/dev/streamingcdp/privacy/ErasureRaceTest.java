package dev.streamingcdp.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.SegmentCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * An ERASE races her own events: whatever order the loop's messages take, once it is at rest and the grace has
 * passed, no operator's state holds a byte of her identifiers, traits or message ids, and the profile topic's last
 * word on every key is a tombstone. Her events: cookie only, cookie with an identifier never seen (a phone or a
 * device), her user id, her e-mail; the request names her user id, e-mail or cookie. Bob, who shares her cookie (a
 * family computer) but has his own user id, which the identity rules keep apart from hers, is not erased with her.
 */
class ErasureRaceTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final IdentityRules RULES = IdentityRules.load(DEMO);
    private static final SegmentCatalog SEGMENTS = SegmentCatalog.load(DEMO);
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Suppressions SUPPRESSIONS =
            new Suppressions("a-test-salt-of-some-length", Duration.ofDays(30), GRACE);
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    private static final Identifier USER = new Identifier("user_id", "eva-erasmus-41");
    private static final Identifier EMAIL = new Identifier("email", "eva.erasmus@example.com");
    private static final Identifier COOKIE = new Identifier("anonymous_id", "cookie-eva-7f3a9c");
    /** Every new identifier of hers starts with one of these; so do her message ids and her name. */
    private static final List<String> HER_DATA = List.of(USER.getValue(), EMAIL.getValue(), COOKIE.getValue(),
            "+1415555", "device-eva-", "m-eva-", "Evangelina");

    private static final Identifier BOB = new Identifier("user_id", "bob-kept");

    @Property(tries = 300)
    void anErasureRacingHerEventsLeavesNothingOfHer(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        try (ErasureLoop loop = new ErasureLoop(RULES, SEGMENTS, SUPPRESSIONS)) {
            race(loop, random, false);
            String state = loop.stateBytes();
            assertThat(HER_DATA).as("seed %d: her data in state", seed).noneMatch(state::contains);
            Map<String, ProfileUpdate> alive = new HashMap<>(loop.profileTopic());
            alive.values().removeIf(v -> v == null);
            assertThat(alive).as("seed %d: the profile topic's last values that are not tombstones", seed).isEmpty();
        }
    }

    @Property(tries = 150)
    void anotherPersonOnHerCookieIsNotErasedWithHer(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        try (ErasureLoop loop = new ErasureLoop(RULES, SEGMENTS, SUPPRESSIONS)) {
            loop.send(event("m-bob-0", "identify", 0, BOB));
            loop.run(random);
            race(loop, random, true);
            String state = loop.stateBytes();
            assertThat(HER_DATA).as("seed %d: her data in state", seed).noneMatch(state::contains);
            assertThat(state).as("seed %d: Bob's state", seed).contains(BOB.getValue());
            Map<String, ProfileUpdate> alive = new HashMap<>(loop.profileTopic());
            alive.values().removeIf(v -> v == null);
            assertThat(alive).as("seed %d: Bob alone is left", seed).containsOnlyKeys(ProfileId.of(BOB));
        }
    }

    /** Her identify, settled; then her events (and Bob's on her cookie) and the ERASE in a random order. */
    private static void race(ErasureLoop loop, Random random, boolean bob) throws Exception {
        loop.send(event("m-eva-0", "identify", 0, USER, EMAIL, COOKIE));
        loop.run(random);
        assertThat(HER_DATA.subList(0, 3)).as("the scan sees her while she is there")
                .allMatch(loop.stateBytes()::contains);

        int events = 1 + random.nextInt(6);
        int eraseAt = random.nextInt(events + 1);
        for (int i = 0; i < events; i++) {
            if (i == eraseAt) {
                erase(loop, random);
            }
            loop.send(herEvent(random, i + 1));
        }
        if (eraseAt == events) {
            erase(loop, random);
        }
        if (bob) {
            loop.send(event("m-bob-1", "page", 1, BOB, COOKIE));
        }
        loop.run(random);
        loop.time(ErasureLoop.START + GRACE.toMillis() + 1);
        loop.run(random);
    }

    private static void erase(ErasureLoop loop, Random random) {
        loop.erase("req-erase-eva", List.of(USER, EMAIL, COOKIE).get(random.nextInt(3)));
    }

    private static CdpEvent herEvent(Random random, int n) {
        String id = "m-eva-" + n;
        return switch (random.nextInt(4)) {
            case 0 -> event(id, "page", n, COOKIE);
            case 1 -> event(id, "track", n, COOKIE, random.nextBoolean()
                    ? new Identifier("phone", "+1415555010" + n) : new Identifier("device_id", "device-eva-" + n));
            case 2 -> event(id, "track", n, USER);
            default -> event(id, "identify", n, EMAIL);
        };
    }

    private static CdpEvent event(String messageId, String type, int minute, Identifier... ids) {
        Map<String, Object> traits = new HashMap<>();
        if (type.equals("identify") && messageId.startsWith("m-eva-")) {
            traits.put("first_name", "Evangelina");
        }
        return CdpEvent.newBuilder().setMessageId(messageId).setType(type).setEventTime(T.plusSeconds(60L * minute))
                .setIdentifiers(new ArrayList<>(List.of(ids))).setTraits(traits).setProperties(new HashMap<>())
                .setConsent(new HashMap<>()).setSource(new SourceRef("events", 0, (long) minute, 0L)).build();
    }
}
