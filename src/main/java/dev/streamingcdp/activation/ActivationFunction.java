package dev.streamingcdp.activation;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.activation.avro.ActivationState;
import dev.streamingcdp.model.ActivationRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by profile id: what each destination was told about her, and the consent gate that decides what is next.
 * An erasure tells every destination that ever got her, then forgets her (a repeated erasure finds nothing).
 *
 * <p>Metrics: records per destination, and the event-to-activation latency: from the Kafka timestamp of the input
 * event that caused a change to the moment its destination record is emitted here.
 */
public class ActivationFunction extends KeyedProcessFunction<String, ActivationInput, ActivationRecord> {

    public static final ValueStateDescriptor<ActivationState> SENT =
            new ValueStateDescriptor<>("activation-sent", new AvroTypeInfo<>(ActivationState.class));
    /** Percentiles are over the latest this many samples. */
    static final int LATENCY_WINDOW = 10_000;

    private final ConsentGate gate;
    private transient ValueState<ActivationState> sent;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> perDestination;
    private transient Histogram latency;

    public ActivationFunction(Destinations destinations) {
        this.gate = new ConsentGate(destinations);
    }

    @Override
    public void open(OpenContext openContext) {
        sent = getRuntimeContext().getState(SENT);
        metrics = getRuntimeContext().getMetricGroup().addGroup("activation");
        perDestination = new HashMap<>();
        latency = metrics.histogram("eventToActivationLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    }

    @Override
    public void processElement(ActivationInput in, Context ctx, Collector<ActivationRecord> out) throws Exception {
        ActivationState state = sent.value();
        if (in.getErased()) {
            if (state != null) {
                emit(gate.erase(in, state), in, ctx, out);
                sent.clear();
            }
            return;
        }
        state = state != null ? state : new ActivationState(new HashMap<>());
        List<ActivationRecord> records = gate.apply(in, state);
        emit(records, in, ctx, out);
        if (!records.isEmpty()) {
            sent.update(state);
        }
    }

    private void emit(List<ActivationRecord> records, ActivationInput in, Context ctx,
            Collector<ActivationRecord> out) {
        Long triggeredAt = in.getTriggeredAt();
        // Producer and TaskManager clocks may disagree: a negative difference is skew, counted as no delay.
        long latencyMs = triggeredAt == null ? 0
                : Math.max(0, ctx.timerService().currentProcessingTime() - triggeredAt);
        for (ActivationRecord r : records) {
            perDestination.computeIfAbsent(r.getDestination(),
                    d -> metrics.addGroup("destination", d).counter("records")).inc();
            if (triggeredAt != null) {
                latency.update(latencyMs);
            }
            out.collect(r);
        }
    }
}
