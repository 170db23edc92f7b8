package dev.streamingcdp.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void spreadsSendsAtTheRate() {
        Pacer pacer = new Pacer(100, 0); // one slot per 10 ms
        assertThat(pacer.claim(0)).isZero();
        assertThat(pacer.claim(0)).isEqualTo(10 * MS);
        assertThat(pacer.claim(10 * MS)).isEqualTo(10 * MS);
    }

    @Test
    void sendsAtOnceWhenLessThanAMillisecondAhead() {
        Pacer pacer = new Pacer(10_000, 0); // one slot per 0.1 ms
        for (int i = 0; i < 10; i++) {
            assertThat(pacer.claim(0)).isZero();
        }
        assertThat(pacer.claim(0)).isEqualTo(MS);
    }

    @Test
    void doesNotBurstMoreThanASecondAfterAStall() {
        Pacer pacer = new Pacer(10, 0); // one slot per 100 ms
        long now = 60_000 * MS;
        int immediate = 0;
        while (pacer.claim(now) == 0) {
            immediate++;
        }
        assertThat(immediate).isEqualTo(11);
    }

    @Test
    void zeroRateNeverWaits() {
        Pacer pacer = new Pacer(0, 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(pacer.claim(0)).isZero();
        }
    }
}
