package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The phantom filter against an oracle of the loop's history. A random run writes messages, passes checkpoints, and
 * fails, restoring from any checkpoint taken so far (the latest, an older one, a savepoint of a run long gone, or
 * none), and may leave a zombie writing on. After each restore, every message ever written must be admitted exactly when it belongs
 * to the restored checkpoint's history: written before that checkpoint on the chain of executions that led to it.
 */
class FeedbackLineagePropertyTest {

    /** What a checkpoint holds: the lineage state, and (for the oracle) the messages that precede it. */
    private record Checkpoint(List<String> lineage, Set<Integer> history) {}

    private record Message(int id, String writer, long epoch) {}

    private static final class Execution {
        final String id;
        final Set<Integer> inherited;
        final Set<Integer> written = new HashSet<>();
        long epoch;
        FeedbackLineage lineage;

        Execution(String id, long restoredFrom, Set<Integer> inherited, List<String> state) {
            this.id = id;
            this.epoch = restoredFrom;
            this.inherited = inherited;
            this.lineage = FeedbackLineage.restore(state, id, restoredFrom);
        }
    }

    @Property(tries = 2000)
    void admitsExactlyTheRestoredHistory(@ForAll("runs") List<Integer> steps) {
        Map<Long, Checkpoint> checkpoints = new HashMap<>();
        List<Message> topic = new ArrayList<>();
        List<Execution> zombies = new ArrayList<>();
        long nextCheckpoint = 1;
        int executions = 0;
        Execution current = new Execution("e" + executions++, 0, Set.of(), List.of());
        for (int step : steps) {
            int kind = step % 10;
            if (kind < 5) { // the live execution writes
                write(current, topic);
            } else if (kind < 7) { // it passes a checkpoint barrier; the checkpoint completes
                long id = nextCheckpoint++;
                Set<Integer> history = new HashSet<>(current.inherited);
                history.addAll(current.written);
                checkpoints.put(id, new Checkpoint(current.lineage.entries(), history));
                current.epoch = id;
            } else if (kind < 8 && !zombies.isEmpty()) { // a zombie of a failed execution writes on
                write(zombies.get(step / 10 % zombies.size()), topic);
            } else if (kind < 8) {
                nextCheckpoint++; // a checkpoint that fails after the barrier passed
                current.epoch = nextCheckpoint - 1;
            } else { // failure: restore from some checkpoint (or from nothing), maybe leaving a zombie
                if (kind == 9) {
                    zombies.add(current);
                }
                List<Long> ids = new ArrayList<>(checkpoints.keySet());
                ids.sort(null);
                int pick = step / 10;
                long from = ids.isEmpty() || pick % 7 == 6 ? 0 // a start without state
                        : pick % 3 == 0 ? ids.get(ids.size() - 1) : ids.get(pick % ids.size());
                Checkpoint c = from == 0 ? new Checkpoint(List.of(), Set.of()) : checkpoints.get(from);
                current = new Execution("e" + executions++, from, c.history(), c.lineage());
                for (Message m : topic) {
                    assertThat(current.lineage.admits(m.writer(), m.epoch()))
                            .as("message %s after a restore from %d, lineage %s", m, from, current.lineage)
                            .isEqualTo(c.history().contains(m.id()));
                }
            }
        }
        for (Message m : topic) { // the live execution's own messages are always admitted
            if (m.writer().equals(current.id)) {
                assertThat(current.lineage.admits(m.writer(), m.epoch())).isTrue();
            }
        }
    }

    private static void write(Execution e, List<Message> topic) {
        Message m = new Message(topic.size(), e.id, e.epoch);
        topic.add(m);
        e.written.add(m.id());
    }

    @Provide
    Arbitrary<List<Integer>> runs() {
        return Arbitraries.integers().between(0, 999).list().ofMaxSize(80);
    }

    @Test
    void unstampedMessagesOfAnEarlierReleaseAreAdmittedAndStrangersAreNot() {
        FeedbackLineage fresh = FeedbackLineage.restore(List.of(), "now", 0);

        assertThat(fresh.admits(null, 0)).isTrue();
        assertThat(fresh.admits("now", 42)).isTrue();
        assertThat(fresh.admits("someone-else", 0)).isFalse();
    }

    @Test
    void restoredCopiesOfTheLineageCountOnce() {
        List<String> entries = FeedbackLineage.restore(List.of(), "a", 0).entries();
        List<String> copies = new ArrayList<>(entries);
        copies.addAll(entries);

        FeedbackLineage restored = FeedbackLineage.restore(copies, "b", 7);

        assertThat(restored.entries()).containsExactly("0 a", "7 b");
        assertThat(restored.admits("a", 6)).isTrue();
        assertThat(restored.admits("a", 7)).isFalse();
    }
}
