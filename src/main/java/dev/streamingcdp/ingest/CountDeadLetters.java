package dev.streamingcdp.ingest;

import dev.streamingcdp.model.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Counts dead letters by reason on their way to the DLQ topic: every rejection is visible on the dashboard. */
public class CountDeadLetters extends RichMapFunction<DeadLetter, DeadLetter> {

    private transient MetricGroup metrics;
    private transient Map<String, Counter> byReason;

    @Override
    public void open(OpenContext openContext) {
        metrics = getRuntimeContext().getMetricGroup().addGroup("ingest");
        byReason = new HashMap<>();
    }

    @Override
    public DeadLetter map(DeadLetter letter) {
        byReason.computeIfAbsent(letter.getReason(), r -> metrics.addGroup("reason", r).counter("deadLetters")).inc();
        return letter;
    }
}
