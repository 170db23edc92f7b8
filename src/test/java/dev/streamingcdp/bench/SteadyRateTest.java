package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;
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
}
