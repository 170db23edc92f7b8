package dev.streamingcdp.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition.Profiles;
import dev.streamingcdp.config.JobDefinition.TraitPolicy;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.ProfileState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator sees events and merges in an order that differs between runs. A random multiset of events, split
 * over random profiles, applied in random orders and merged in a random tree (with retried merges), must give the
 * same counts, first/last seen, traits and consent as all events applied to one profile.
 */
class OrderIndependenceTest {

    private static final int RUNS = 1_000;
    /** Few distinct times, channels and values, so ties are common. */
    private static final String[] TYPES = {"track", "page", "identify"};
    private static final String[] CHANNELS = {"crm", "web", "ios", "kiosk", null};
    private static final String[] TRAITS = {"plan", "age", "vip"};
    private static final Object[] VALUES = {"gold", "silver", "1", 1L, 2L, 1.0, -0.0, 0.0, true, false, null};
    private static final String[] PURPOSES = {"marketing", "analytics"};

    static Stream<ProfileLogic> policies() {
        return Stream.of(
                new ProfileLogic(new Profiles(TraitPolicy.LATEST, null, null, null)),
                new ProfileLogic(new Profiles(TraitPolicy.LATEST, List.of("web", "crm"), null, null)),
                new ProfileLogic(new Profiles(TraitPolicy.SOURCE_PRIORITY, List.of("crm", "web", "ios"), null, null)));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void splittingAndMergingInAnyOrderGivesTheSameProfile(ProfileLogic logic) {
        for (long seed = 0; seed < RUNS; seed++) {
            Random rnd = new Random(seed);
            List<CdpEvent> events = randomEvents(rnd);
            ProfileState whole = applyAll(logic, "p-whole", events);
            ProfileState merged = splitAndMerge(logic, rnd, events);

            String run = "seed " + seed;
            assertThat(merged.getEventCounts()).as(run).isEqualTo(whole.getEventCounts());
            assertThat(merged.getFirstSeen()).as(run).isEqualTo(whole.getFirstSeen());
            assertThat(merged.getLastSeen()).as(run).isEqualTo(whole.getLastSeen());
            assertThat(merged.getTraits()).as(run).isEqualTo(whole.getTraits());
            assertThat(merged.getConsent()).as(run).isEqualTo(whole.getConsent());
        }
    }

    private static ProfileState splitAndMerge(ProfileLogic logic, Random rnd, List<CdpEvent> events) {
        List<CdpEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, rnd);
        int parts = 1 + rnd.nextInt(Math.min(5, shuffled.size()));
        List<List<CdpEvent>> split = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            split.add(new ArrayList<>(List.of(shuffled.get(i)))); // no profile without events
        }
        for (CdpEvent e : shuffled.subList(parts, shuffled.size())) {
            split.get(rnd.nextInt(parts)).add(e);
        }
        List<ProfileState> live = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            live.add(applyAll(logic, "p-" + i, split.get(i)));
        }
        List<ProfileState> copiesOfAbsorbed = new ArrayList<>();
        while (live.size() > 1) {
            ProfileState survivor = live.get(rnd.nextInt(live.size()));
            ProfileState absorbed = live.get(rnd.nextInt(live.size()));
            if (survivor == absorbed) {
                continue;
            }
            copiesOfAbsorbed.add(ProfileState.newBuilder(absorbed).build());
            assertThat(logic.absorb(survivor, absorbed)).isTrue();
            live.remove(absorbed);
        }
        ProfileState result = live.get(0);
        ProfileState before = ProfileState.newBuilder(result).build();
        Collections.shuffle(copiesOfAbsorbed, rnd);
        for (ProfileState retry : copiesOfAbsorbed) { // a redelivered merge command
            assertThat(logic.absorb(result, retry)).isFalse();
        }
        assertThat(result).isEqualTo(before);
        return result;
    }

    private static ProfileState applyAll(ProfileLogic logic, String id, List<CdpEvent> events) {
        ProfileState p = ProfileLogic.create(id, Events.ANON, events.get(0).getEventTime());
        for (CdpEvent e : events) {
            logic.apply(p, e);
        }
        return p;
    }

    private static List<CdpEvent> randomEvents(Random rnd) {
        List<CdpEvent> events = new ArrayList<>();
        int n = 1 + rnd.nextInt(25);
        for (int i = 0; i < n; i++) {
            Map<String, Object> traits = new HashMap<>();
            for (String name : pick(rnd, TRAITS)) {
                traits.put(name, VALUES[rnd.nextInt(VALUES.length)]);
            }
            Map<String, Boolean> consent = new HashMap<>();
            for (String purpose : pick(rnd, PURPOSES)) {
                consent.put(purpose, rnd.nextBoolean());
            }
            events.add(Events.event(TYPES[rnd.nextInt(TYPES.length)], rnd.nextInt(6),
                    CHANNELS[rnd.nextInt(CHANNELS.length)], traits, consent));
        }
        return events;
    }

    private static List<String> pick(Random rnd, String[] from) {
        return Arrays.stream(from).filter(x -> rnd.nextInt(3) == 0).toList();
    }
}
