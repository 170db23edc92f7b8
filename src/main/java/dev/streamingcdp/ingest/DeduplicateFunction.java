package dev.streamingcdp.ingest;

import dev.streamingcdp.model.CdpEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by messageId: the first event with an id passes, repeats within the horizon are dropped and counted. The
 * horizon is a state TTL (processing time), so state holds only the ids of the last horizon.
 */
public class DeduplicateFunction extends KeyedProcessFunction<String, CdpEvent, CdpEvent> {

    /** The one piece of state: whether this messageId was seen. Its name is part of the savepoint format. */
    static ValueStateDescriptor<Boolean> seenDescriptor(Duration horizon) {
        ValueStateDescriptor<Boolean> seen = new ValueStateDescriptor<>("seen", Boolean.class);
        seen.enableTimeToLive(StateTtlConfig.newBuilder(horizon)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return seen;
    }

    private final Duration horizon;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    public DeduplicateFunction(Duration horizon) {
        this.horizon = horizon;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(seenDescriptor(horizon));
        duplicates = getRuntimeContext().getMetricGroup().addGroup("ingest").counter("duplicatesDropped");
    }

    @Override
    public void processElement(CdpEvent event, Context ctx, Collector<CdpEvent> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(true);
        out.collect(event);
    }
}
