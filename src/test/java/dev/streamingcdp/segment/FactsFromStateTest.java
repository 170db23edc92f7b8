package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.model.Fact;
import dev.streamingcdp.model.Occurrence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Facts as RocksDB hands them back: Avro-decoded, with lists whose iterators cannot remove. Pruning must work on
 * them (the heap-state harness tests never see such lists; the first window that lapsed on RocksDB failed the job).
 */
class FactsFromStateTest {

    private static final long DAY = Duration.ofDays(1).toMillis();

    @Test
    void occurrencesReadBackFromStateArePrunedToTheWindow() throws Exception {
        ActiveSegments active = new ProfileSegments(SegmentCatalog.load(Path.of("jobs/retail-demo")),
                Duration.ofSeconds(1)).active(List.of());
        FactSpec week = active.specs().values().stream()
                .filter(s -> Duration.ofDays(7).equals(s.window())).findFirst().orElseThrow();
        Fact written = Facts.empty();
        written.getOccurrences().addAll(List.of(new Occurrence(0L, null), new Occurrence(DAY, null),
                new Occurrence(2 * DAY, null)));
        Fact read = Fact.getDecoder().decode(Fact.getEncoder().encode(written));
        Map<String, Fact> facts = new HashMap<>(Map.of(week.key(), read));

        Facts.prune(facts, active.specs(), 7 * DAY);

        assertThat(facts.get(week.key()).getOccurrences()).extracting(Occurrence::getAt)
                .containsExactly(DAY, 2 * DAY);
    }
}
