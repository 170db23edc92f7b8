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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by profile id: what each destination was told about her, and the consent gate that decides what is next.
 * An erasure tells every destination that ever got her, then forgets her (a repeated erasure finds nothing).
 */
public class ActivationFunction extends KeyedProcessFunction<String, ActivationInput, ActivationRecord> {

    public static final ValueStateDescriptor<ActivationState> SENT =
            new ValueStateDescriptor<>("activation-sent", new AvroTypeInfo<>(ActivationState.class));

    private final ConsentGate gate;
    private transient ValueState<ActivationState> sent;
    private transient Map<String, Counter> perDestination;

    public ActivationFunction(Destinations destinations) {
        this.gate = new ConsentGate(destinations);
    }

    @Override
    public void open(OpenContext openContext) {
        sent = getRuntimeContext().getState(SENT);
        perDestination = new HashMap<>();
    }

    @Override
    public void processElement(ActivationInput in, Context ctx, Collector<ActivationRecord> out) throws Exception {
        ActivationState state = sent.value();
        if (in.getErased()) {
            if (state != null) {
                emit(gate.erase(in, state), out);
                sent.clear();
            }
            return;
        }
        state = state != null ? state : new ActivationState(new HashMap<>());
        List<ActivationRecord> records = gate.apply(in, state);
        emit(records, out);
        if (!records.isEmpty()) {
            sent.update(state);
        }
    }

    private void emit(List<ActivationRecord> records, Collector<ActivationRecord> out) {
        for (ActivationRecord r : records) {
            perDestination.computeIfAbsent(r.getDestination(), d -> getRuntimeContext().getMetricGroup()
                    .addGroup("activation").addGroup("destination", d).counter("records")).inc();
            out.collect(r);
        }
    }
}
