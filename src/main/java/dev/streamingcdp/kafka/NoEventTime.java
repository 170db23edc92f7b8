package dev.streamingcdp.kafka;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of the job's own inputs that carry no event time (identity feedback, segment definitions): the input
 * is always idle, so an operator that reads it with the events takes its event time from the events alone.
 *
 * <p>Not the end of time (a Long.MAX_VALUE watermark): Flink leaves idle inputs out of the minimum, so once every
 * event partition is idle (ingest.watermarks.idleness) an input at MAX would become the operator's watermark for
 * good, fire every timer and empty every window.
 */
public final class NoEventTime {

    private NoEventTime() {}

    public static <T> WatermarkStrategy<T> idle() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(T event, long timestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }
}
