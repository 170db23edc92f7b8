package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.segment.BackfillRun.Barrier;
import dev.streamingcdp.segment.BackfillRun.Checkpoint;
import dev.streamingcdp.segment.BackfillRun.Control;
import dev.streamingcdp.segment.BackfillRun.Crash;
import dev.streamingcdp.segment.BackfillRun.Event;
import dev.streamingcdp.segment.BackfillRun.Op;
import dev.streamingcdp.segment.BackfillRun.Slice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The sliced definition backfill against the one-pass version (the same operator with an unbounded slice) and
 * against the definitions themselves: random profiles with a trait, then random events (on old and new profiles),
 * definition changes and deletions of two segments, backfill slices, cache flushes, checkpoints and crashes
 * (restore the last checkpoint, replay the inputs since, drop the uncommitted changes), with a small cache so that
 * visits hit cached and stored profiles. Checked at the end, on the committed output and the state:
 * <ol>
 *   <li>every profile's membership of each segment is the one-pass version's and what the last definition says of
 *       her last tier (not a member of a deleted segment);</li>
 *   <li>per profile and segment the committed changes go ENTERED, EXITED, ENTERED ... numbered 1..n, and her state
 *       holds n: no change twice, none missing.</li>
 * </ol>
 */
class SegmentBackfillPropertyTest {

    static final List<String> TIERS = List.of("gold", "silver", "bronze");
    static final List<Condition> CONDITIONS = List.of(
            tier(new Comparison.Equals("gold")),
            tier(new Comparison.In(List.of("gold", "silver"))),
            tier(new Comparison.Equals("bronze")),
            new Condition.Not(tier(new Comparison.Equals("gold"))));
    static final List<String> SEGMENTS = List.of("s0", "s1");

    record Script(int profiles, int sliceKeys, int cacheSize, List<Op> ops) {}

    @Property(tries = 150)
    void onHeapStateTheSlicedBackfillEndsAsOnePassWould(@ForAll("scripts") Script s) throws Exception {
        check(s, false);
    }

    @Property(tries = 12)
    void onRocksDbTheSlicedBackfillEndsAsOnePassWould(@ForAll("scripts") Script s) throws Exception {
        check(s, true);
    }

    @Provide
    Arbitrary<Script> scripts() {
        return Combinators.combine(Arbitraries.integers().between(2, 25), Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 30), Arbitraries.longs()).as(SegmentBackfillPropertyTest::script);
    }

    static Script script(int profiles, int sliceKeys, int cacheSize, long seed) {
        Random random = new Random(seed);
        List<Op> ops = new ArrayList<>();
        int n = 0;
        for (int p = 0; p < profiles; p++) {
            ops.add(new Event(++n, p, TIERS.get(random.nextInt(TIERS.size()))));
        }
        Map<String, Integer> versions = new HashMap<>();
        ops.add(control(random, versions, false));
        int steps = 10 + random.nextInt(50);
        for (int i = 0; i < steps; i++) {
            int r = random.nextInt(100);
            if (r < 35) { // now and then a profile that did not exist before
                ops.add(new Event(++n, random.nextInt(profiles + 3), TIERS.get(random.nextInt(TIERS.size()))));
            } else if (r < 50) {
                ops.add(control(random, versions, random.nextInt(4) == 0));
            } else if (r < 80) {
                ops.add(new Slice());
            } else if (r < 87) {
                ops.add(new Barrier());
            } else if (r < 94) {
                ops.add(new Checkpoint());
            } else {
                ops.add(new Crash());
            }
        }
        return new Script(profiles, sliceKeys, cacheSize, ops);
    }

    private static Control control(Random random, Map<String, Integer> versions, boolean delete) {
        String segment = SEGMENTS.get(random.nextInt(SEGMENTS.size()));
        int version = versions.merge(segment, 1, Integer::sum);
        return new Control(segment, version, delete ? null : CONDITIONS.get(random.nextInt(CONDITIONS.size())));
    }

    static void check(Script s, boolean rocksDb) throws Exception {
        try (BackfillRun sliced = new BackfillRun(BackfillRun.NO_SEGMENTS, s.sliceKeys(), s.cacheSize(), rocksDb,
                false); BackfillRun onePass = BackfillRun.onePass(BackfillRun.NO_SEGMENTS)) {
            sliced.applyAll(s.ops());
            for (Op op : s.ops()) {
                if (op instanceof Event || op instanceof Control) {
                    onePass.apply(op);
                }
            }
            // a pass visits each id at most twice (cached and stored): enough slices to end the last one
            sliced.finish(2 * (s.profiles() + 3) + 2);
            onePass.finish(0);

            Map<Integer, String> tiers = new HashMap<>();
            Map<String, Condition> definitions = new HashMap<>();
            for (Op op : s.ops()) {
                if (op instanceof Event e) {
                    tiers.put(e.profile(), e.tier());
                } else if (op instanceof Control c) {
                    definitions.put(c.segment(), c.condition());
                }
            }
            for (int p : new TreeSet<>(tiers.keySet())) {
                Map<String, Boolean> members = sliced.memberships(p);
                Map<String, Boolean> reference = onePass.memberships(p);
                for (String segment : SEGMENTS) {
                    Condition c = definitions.get(segment);
                    boolean expected = c != null && holds(c, tiers.get(p));
                    assertThat(reference.getOrDefault(segment, false)).as("one pass: u-%d (%s) in %s", p,
                            tiers.get(p), segment).isEqualTo(expected);
                    assertThat(members.getOrDefault(segment, false)).as("sliced: u-%d (%s) in %s", p,
                            tiers.get(p), segment).isEqualTo(expected);
                    List<SegmentChange> changes = sliced.committed().stream()
                            .filter(x -> x.getProfileId().equals(BackfillRun.profileId(p))
                                    && x.getSegmentId().equals(segment)).toList();
                    for (int i = 0; i < changes.size(); i++) {
                        assertThat(changes.get(i).getType()).as("change %d of u-%d in %s: %s", i + 1, p, segment,
                                changes).isEqualTo(i % 2 == 0 ? Memberships.ENTERED : Memberships.EXITED);
                        assertThat(changes.get(i).getSequence()).as("sequence of change %d of u-%d in %s", i + 1, p,
                                segment).isEqualTo(i + 1L);
                    }
                    assertThat(sliced.sequence(p, segment)).as("state sequence of u-%d in %s", p, segment)
                            .isEqualTo(changes.size());
                }
            }
            Statistics.label("a crash").collect(s.ops().stream().anyMatch(op -> op instanceof Crash));
            Statistics.label("a definition change by a backfill").collect(sliced.committed().stream()
                    .anyMatch(c -> c.getReason().contains("\"trigger\":\"definition\"")));
            Statistics.label("an exit of a deleted segment").collect(sliced.committed().stream()
                    .anyMatch(c -> c.getReason().contains("segment_deleted")));
        }
    }

    private static boolean holds(Condition c, String tier) {
        if (c instanceof Condition.Not not) {
            return !holds(not.condition(), tier);
        }
        Comparison comparison = ((Condition.Trait) c).comparison();
        return comparison instanceof Comparison.Equals e ? e.value().equals(tier)
                : ((Comparison.In) comparison).values().contains(tier);
    }

    private static Condition tier(Comparison comparison) {
        return new Condition.Trait("tier", comparison);
    }
}
