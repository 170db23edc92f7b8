package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SteadyRateTest {

    @Test
    void ratesTheBacklogBetweenAQuarterAndNinetyPercentInterpolatingBetweenPolls() {
        SteadyRate steady = new SteadyRate();
        // A slow start (warm-up: 100 records in 10 s), then 100 records/s from 10 s on.
        steady.add(0, 0);
        steady.add(10, 100);
        steady.add(12, 300);
        steady.add(20, 1100);
        // 25 % of 1,000 = 250 at 11.5 s; 90 % = 900 at 18 s: 650 records in 6.5 s
        assertThat(steady.rate(1000)).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void isNotANumberUntilTheSourceHasReadNinetyPercent() {
        SteadyRate steady = new SteadyRate();
        steady.add(0, 0);
        steady.add(5, 800);
        assertThat(steady.rate(1000)).isNaN();
    }

    @Test
    void withAWarmUpTheWindowStartsWhereTheWarmUpEndsAndEndsAtNinetyPercentOfTheMeasuredRecords() {
        assertThat(SteadyRate.window(1500, 500)).isEqualTo(new SteadyRate.Window(500, 1400));
        // without one, the first quarter of the backlog stands in for it
        assertThat(SteadyRate.window(1000, 0)).isEqualTo(new SteadyRate.Window(250, 900));
        assertThatThrownBy(() -> SteadyRate.window(1000, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWarmUpsSlowStartIsLeftOutOfTheRate() {
        SteadyRate steady = new SteadyRate();
        // 500 warm-up records at 50/s (JIT), then 200 records/s
        steady.add(0, 0);
        steady.add(10, 500);
        steady.add(15, 1500);
        assertThat(steady.rate(SteadyRate.window(1500, 500))).isCloseTo(200.0, within(1e-9));
        // the 25-90 % window of the same polls would mix in the slow start
        assertThat(steady.rate(1500)).isLessThan(200.0);
    }
}
