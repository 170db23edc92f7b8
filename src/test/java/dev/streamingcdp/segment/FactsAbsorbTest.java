package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.model.Fact;
import dev.streamingcdp.model.Occurrence;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A merge unites facts; most carry no numbers (min and max null), which must not fail the merge. */
class FactsAbsorbTest {

    @Test
    void factsWithoutNumbersAreUnited() {
        Map<String, Fact> survivor = new HashMap<>(Map.of("views", fact(new Occurrence(1L, null))));
        Map<String, Fact> absorbed = Map.of("views", fact(new Occurrence(2L, null)),
                "orders", fact(new Occurrence(3L, null)));

        Facts.absorb(survivor, absorbed);

        assertThat(survivor.get("views").getOccurrences()).extracting(Occurrence::getAt).containsExactly(1L, 2L);
        assertThat(survivor.get("views").getMin()).isNull();
        assertThat(survivor.get("views").getMax()).isNull();
        assertThat(survivor.get("orders").getOccurrences()).extracting(Occurrence::getAt).containsExactly(3L);
    }

    @Test
    void numbersOnEitherSideAreKept() {
        Fact withNumbers = Facts.empty();
        withNumbers.setMin(5.0);
        withNumbers.setMax(7.0);
        Map<String, Fact> survivor = new HashMap<>(Map.of("revenue", Facts.empty()));

        Facts.absorb(survivor, Map.of("revenue", withNumbers));
        assertThat(survivor.get("revenue").getMin()).isEqualTo(5.0);
        assertThat(survivor.get("revenue").getMax()).isEqualTo(7.0);

        Fact lower = Facts.empty();
        lower.setMin(2.0);
        lower.setMax(3.0);
        Facts.absorb(survivor, Map.of("revenue", lower));
        assertThat(survivor.get("revenue").getMin()).isEqualTo(2.0);
        assertThat(survivor.get("revenue").getMax()).isEqualTo(7.0);
    }

    private static Fact fact(Occurrence o) {
        Fact f = Facts.empty();
        f.getOccurrences().addAll(List.of(o));
        return f;
    }
}
