package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.IdentityScenario.ExpectedProfile;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.ingest.EventValidator;
import dev.streamingcdp.ingest.JsonEventDecoder;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generator and the oracle of IdentityResolutionIT, which is only as good as they are. */
class IdentityScenarioTest {

    private static final IdentityScenario SCENARIO = IdentityScenario.generate(42);

    @Test
    void unionFindJoinsSetsAndCountsJoins() {
        UnionFind uf = new UnionFind();
        assertThat(uf.unionAll(List.of("a", "b", "c"))).isEqualTo(2);
        assertThat(uf.unionAll(List.of("d"))).isZero();
        assertThat(uf.unionAll(List.of("c", "a"))).isZero();
        assertThat(uf.connected("a", "c")).isTrue();
        assertThat(uf.connected("a", "d")).isFalse();
        assertThat(uf.union("d", "e")).isTrue();
        assertThat(uf.union("e", "b")).isTrue();
        assertThat(uf.components()).containsExactly(Set.of("a", "b", "c", "d", "e"));
        assertThat(uf.size()).isEqualTo(5);
    }

    @Test
    void componentSizesSumToTheIdentifiersAndTheOracleFindsTheBuiltComponents() {
        List<Set<String>> built = SCENARIO.generatedComponents();
        assertThat(built.stream().mapToInt(Set::size).sum()).isEqualTo(IdentityScenario.DEFAULT_IDENTIFIERS);
        Set<String> all = new HashSet<>();
        built.forEach(all::addAll);
        assertThat(all).hasSize(IdentityScenario.DEFAULT_IDENTIFIERS); // disjoint, no identifier made twice

        Map<String, ExpectedProfile> expected = SCENARIO.expectedProfiles();
        assertThat(expected.values().stream().mapToInt(p -> p.identifiers().size()).sum())
                .isEqualTo(IdentityScenario.DEFAULT_IDENTIFIERS);
        assertThat(expected.values().stream().map(ExpectedProfile::identifiers).collect(Collectors.toSet()))
                .isEqualTo(new HashSet<>(built));
        assertThat(expected.values().stream().mapToLong(ExpectedProfile::events).sum())
                .isEqualTo(SCENARIO.events().size());
        assertThat(expected.values()).allSatisfy(p -> assertThat(p.events()).isPositive());
    }

    @Test
    void everyEventCarriesOneToFourIdentifiersOfOneComponent() {
        Map<String, Integer> componentOf = new HashMap<>();
        List<Set<String>> built = SCENARIO.generatedComponents();
        for (int i = 0; i < built.size(); i++) {
            for (String k : built.get(i)) {
                componentOf.put(k, i);
            }
        }
        assertThat(SCENARIO.events().size()).isBetween(IdentityScenario.DEFAULT_EVENTS,
                IdentityScenario.DEFAULT_EVENTS + 100);
        assertThat(SCENARIO.events()).allSatisfy(e -> {
            assertThat(e.identifiers()).hasSizeBetween(1, 4).doesNotHaveDuplicates();
            assertThat(e.identifiers().stream().map(componentOf::get).distinct()).hasSize(1);
            assertThat(e.timestamp()).isBetween(IdentityScenario.DAY, IdentityScenario.DAY.plus(Duration.ofDays(1)));
        });
        assertThat(SCENARIO.events().stream().map(ScenarioEvent::messageId).distinct()).hasSameSizeAs(
                SCENARIO.events());
        assertThat(SCENARIO.events().stream().map(ScenarioEvent::type).distinct())
                .containsExactlyInAnyOrder("identify", "track", "page", "screen", "alias", "group");
    }

    @Test
    void theJobReadsExactlyTheGeneratedIdentifiersFromEachEvent() throws Exception {
        // Through the job's own decoder, validator and normaliser (the retail demo's settings): every event is valid
        // and yields exactly its identifiers, so the oracle and the job start from the same links.
        EventNormalizer normalizer = new EventNormalizer("US", "anonymous_id", 1000, 256, Duration.ofHours(1));
        for (ScenarioEvent e : SCENARIO.events()) {
            SegmentEvent s = JsonEventDecoder.decode(e.json());
            List<String> dropped = new ArrayList<>();
            CdpEvent n = normalizer.normalize(s, EventValidator.validate(s), new SourceRef("t", 0, 0L, 0L), dropped::add);
            assertThat(dropped).as(e.messageId()).isEmpty();
            assertThat(n.getType()).isEqualTo(e.type());
            assertThat(n.getIdentifiers()).as(e.messageId()).map(IdentityScenarioTest::key)
                    .containsExactlyInAnyOrderElementsOf(e.identifiers());
        }
    }

    @Test
    void theGraphHasSingletonsChainsStarsAndBigComponents() {
        Map<String, Set<String>> neighbours = new HashMap<>();
        for (ScenarioEvent e : SCENARIO.events()) {
            for (String a : e.identifiers()) {
                for (String b : e.identifiers()) {
                    if (!a.equals(b)) {
                        neighbours.computeIfAbsent(a, x -> new HashSet<>()).add(b);
                    }
                }
            }
        }
        List<Set<String>> components = SCENARIO.generatedComponents();
        assertThat(components).filteredOn(c -> c.size() == 1).hasSizeGreaterThan(30);
        assertThat(components).filteredOn(c -> c.size() >= 50).hasSizeBetween(2, 6);
        // a chain: every identifier has at most two neighbours, and it is long enough to cascade
        assertThat(components).filteredOn(c -> c.size() >= 10
                && c.stream().allMatch(k -> neighbours.getOrDefault(k, Set.of()).size() <= 2)).isNotEmpty();
        // a star: one identifier seen with ten or more others
        assertThat(neighbours.values()).anyMatch(n -> n.size() >= 10);
        // in a shuffled order most links arrive between identifiers that already have profiles
        assertThat(IdentityScenario.mergesImplied(SCENARIO.events())).isGreaterThan(200);
    }

    @Test
    void aSeedReplaysTheSameScenarioAndOrdersDifferPerOrderSeed() {
        IdentityScenario again = IdentityScenario.generate(42);
        assertThat(again.events()).isEqualTo(SCENARIO.events());
        assertThat(again.events().get(0).json()).isEqualTo(SCENARIO.events().get(0).json());
        assertThat(again.expectedProfiles()).isEqualTo(SCENARIO.expectedProfiles());
        assertThat(IdentityScenario.generate(43).events()).isNotEqualTo(SCENARIO.events());

        List<ScenarioEvent> one = SCENARIO.eventsInOrder(1);
        assertThat(one).isEqualTo(SCENARIO.eventsInOrder(1)).isNotEqualTo(SCENARIO.eventsInOrder(2))
                .containsExactlyInAnyOrderElementsOf(SCENARIO.events());
    }

    @Test
    void theScenarioHasTheRequestedSize() {
        IdentityScenario small = IdentityScenario.generate(7, 300, 250);
        assertThat(small.identifierCount()).isEqualTo(300);
        assertThat(small.expectedProfiles().values().stream().mapToInt(p -> p.identifiers().size()).sum())
                .isEqualTo(300);
        assertThat(small.events().size()).isGreaterThanOrEqualTo(250);
        assertThat(IdentityScenario.generate(7, 60, 50).expectedProfiles()).hasSizeGreaterThan(5);
        assertThat(IdentityScenario.generate(7, 1, 1).expectedProfiles()).hasSize(1);
    }

    @Test
    void profileIdsDeriveFromTheStrongestIdentifier() {
        // Hashes from `printf '%s' user_id:u1 | sha256sum`: independent of the code under test.
        assertThat(IdentityScenario.profileId(List.of("anonymous_id:a7", "user_id:u1")))
                .isEqualTo("p-90c5bc873dedef8054fdde93");
        // user_id beats e-mail, phone, device and cookie; among user ids the smaller string ("cust-10" < "cust-2")
        assertThat(IdentityScenario.profileId(List.of("email:a@example.com", "user_id:cust-2", "user_id:cust-10",
                "phone:+14155552671", "device_id:D1", "anonymous_id:0")))
                .isEqualTo("p-3436555b7c737d970963fc83");
        assertThat(IdentityScenario.profileId(List.of("anonymous_id:0", "device_id:0", "phone:+14155552671",
                "email:ann@example.com", "email:bob@example.com")))
                .isEqualTo("p-35f3b3170d36d0a179d1bf8e");
        assertThat(IdentityScenario.profileId(List.of("device_id:z", "phone:+4930123456")))
                .isEqualTo(IdentityScenario.profileId(List.of("phone:+4930123456")));
        assertThat(IdentityScenario.profileId(List.of("anonymous_id:a", "device_id:z")))
                .isEqualTo(IdentityScenario.profileId(List.of("device_id:z")));

        for (ExpectedProfile p : SCENARIO.expectedProfiles().values()) {
            String strongest = strongest(p.identifiers());
            assertThat(p.profileId()).isEqualTo(IdentityScenario.profileId(List.of(strongest)))
                    .matches("p-[0-9a-f]{24}");
        }
    }

    @Test
    void mergesImpliedCountsJoinsOfExistingProfiles() {
        assertThat(IdentityScenario.mergesImplied(List.of(event("a:1"), event("a:2"), event("a:1", "a:2"))))
                .isEqualTo(1);
        assertThat(IdentityScenario.mergesImplied(List.of(event("a:1", "a:2"), event("a:3", "a:4"),
                event("a:2", "a:3")))).isEqualTo(1);
        assertThat(IdentityScenario.mergesImplied(List.of(event("a:1"), event("a:2"), event("a:3"),
                event("a:1", "a:2", "a:3", "a:4")))).isEqualTo(2);
        assertThat(IdentityScenario.mergesImplied(List.of(event("a:1", "a:2"), event("a:2", "a:3")))).isZero();
    }

    /** Strength written out separately from IdentityScenario.STRENGTH: namespace rank, then String.compareTo. */
    private static String strongest(Set<String> keys) {
        List<String> rank = List.of("user_id", "email", "phone", "device_id", "anonymous_id");
        String best = null;
        for (String k : keys) {
            if (best == null) {
                best = k;
                continue;
            }
            int a = rank.indexOf(k.substring(0, k.indexOf(':')));
            int b = rank.indexOf(best.substring(0, best.indexOf(':')));
            String va = k.substring(k.indexOf(':') + 1);
            String vb = best.substring(best.indexOf(':') + 1);
            if (a < b || a == b && va.compareTo(vb) < 0) {
                best = k;
            }
        }
        return best;
    }

    private static ScenarioEvent event(String... ids) {
        return new ScenarioEvent("m", "track", IdentityScenario.DAY, "browser", List.of(ids));
    }

    private static String key(Identifier id) {
        return ScenarioEvent.key(id.getNamespace(), id.getValue());
    }
}
