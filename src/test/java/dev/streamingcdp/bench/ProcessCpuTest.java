package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void addsUserAndSystemTicksCountingFieldsAfterTheCommandName() {
        String stat = "4242 (profile: a) (1/2)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 90 0 5 0 0";
        assertThat(ProcessCpu.parse(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void readsThisJvmsOwnTicks() {
        assertThat(ProcessCpu.ticks(ProcessHandle.current().pid())).isGreaterThan(0);
    }
}
