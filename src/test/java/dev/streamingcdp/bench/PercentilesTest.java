package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToHundred() {
        long[] sorted = LongStream.rangeClosed(1, 100).toArray();
        assertThat(Percentiles.of(sorted, 50)).isEqualTo(50);
        assertThat(Percentiles.of(sorted, 99)).isEqualTo(99);
        assertThat(Percentiles.of(sorted, 100)).isEqualTo(100);
        assertThat(Percentiles.of(sorted, 0.5)).isEqualTo(1);
    }

    @Test
    void aFewSamplesGiveObservedValues() {
        long[] sorted = {10, 20, 30};
        assertThat(Percentiles.of(sorted, 50)).isEqualTo(20);
        assertThat(Percentiles.of(sorted, 99)).isEqualTo(30);
    }

    @Test
    void summarySortsAndCountsMissing() {
        Results.Summary s = Percentiles.summary(new long[] {300, 5, 40, 7}, 2);
        assertThat(s).isEqualTo(new Results.Summary(4, 2, 7, 300, 300));
    }

    @Test
    void noSamplesIsMarkedNotMeasured() {
        Results.Summary s = Percentiles.summary(new long[0], 3);
        assertThat(s.count()).isZero();
        assertThat(s.p99()).isEqualTo(-1);
        assertThat(new Target("p99", s.p99(), 100, "ms", true).met()).isFalse();
    }

    @Test
    void rejectsPercentilesOutsideTheRange() {
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
