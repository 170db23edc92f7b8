package dev.streamingcdp.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/** The feedback and control inputs declare themselves idle and never emit a watermark (not even the end of time). */
class NoEventTimeTest {

    @Test
    void anInputWithoutEventTimeIsIdleAndNeverMovesTheWatermark() {
        WatermarkGenerator<String> generator = NoEventTime.<String>idle().createWatermarkGenerator(null);
        List<String> calls = new ArrayList<>();
        WatermarkOutput output = new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark watermark) {
                calls.add("watermark " + watermark.getTimestamp());
            }

            @Override
            public void markIdle() {
                calls.add("idle");
            }

            @Override
            public void markActive() {
                calls.add("active");
            }
        };
        generator.onPeriodicEmit(output);
        generator.onEvent("a record", 42L, output);
        generator.onPeriodicEmit(output);
        assertThat(calls).containsExactly("idle", "idle");
    }
}
