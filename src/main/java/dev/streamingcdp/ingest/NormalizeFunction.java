package dev.streamingcdp.ingest;

import dev.streamingcdp.ingest.avro.IngestRecord;
import dev.streamingcdp.model.CdpEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Normalises validated events; counts events by type and identifiers dropped by namespace. */
public class NormalizeFunction extends ProcessFunction<IngestRecord, CdpEvent> {

    private final EventNormalizer normalizer;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> eventsByType;
    private transient Map<String, Counter> droppedByNamespace;

    public NormalizeFunction(EventNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = getRuntimeContext().getMetricGroup().addGroup("ingest");
        eventsByType = new HashMap<>();
        droppedByNamespace = new HashMap<>();
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<CdpEvent> out) {
        EventType type = EventType.of(record.getEvent().getType()).orElseThrow(); // validated upstream
        try {
            CdpEvent event = normalizer.normalize(record.getEvent(), type, record.getSource(), this::countDropped);
            eventsByType.computeIfAbsent(event.getType(),
                    t -> metrics.addGroup("type", t).counter("events")).inc();
            out.collect(event);
        } catch (RejectException e) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(record, e));
        }
    }

    private void countDropped(String namespace) {
        droppedByNamespace.computeIfAbsent(namespace,
                ns -> metrics.addGroup("namespace", ns).counter("identifiersDropped")).inc();
    }
}
