package dev.streamingcdp.activation;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.JobDefinition.DeliveryGuarantee;
import dev.streamingcdp.kafka.KafkaIO;
import dev.streamingcdp.model.ActivationRecord;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Activate: profile changes ► consent gate (keyed by profile id) ► one Kafka sink per delivery guarantee, each
 * writing to the topics of the destinations that use it (exactly-once ones in the checkpoint's transaction).
 */
public final class ActivationStage {

    public static final String GATE_UID = "activation-gate";
    /** Per delivery guarantee in use, suffixed with its code (exactly-once, at-least-once). */
    public static final String ROUTE_UID_PREFIX = "activation-route-";
    public static final String SINK_UID_PREFIX = "activation-sink-";

    private ActivationStage() {}

    public static void build(JobDefinition job, Destinations destinations, DataStream<ActivationInput> inputs) {
        if (destinations.destinations().isEmpty()) {
            return;
        }
        // Keyed apart rather than chained to the profile operator (reinterpretAsKeyedStream): measured, chaining moved
        // the gate's work onto the profile operator's thread, the job's bottleneck (bench/ANALYSIS.md, Round 3).
        SingleOutputStreamOperator<ActivationRecord> records = inputs
                .keyBy(ActivationInput::getProfileId)
                .process(new ActivationFunction(destinations))
                .uid(GATE_UID).name("activation: consent gate, identifiers");
        for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
            Set<String> names = destinations.destinations().stream()
                    .filter(d -> d.delivery(job) == guarantee)
                    .map(Destinations.Destination::name).collect(Collectors.toSet());
            if (names.isEmpty()) {
                continue;
            }
            String code = guarantee.name().toLowerCase(Locale.ROOT).replace('_', '-');
            records.filter(r -> names.contains(r.getDestination()))
                    .uid(ROUTE_UID_PREFIX + code).name("activation: " + code + " destinations")
                    .sinkTo(KafkaIO.sink(job, guarantee, "activation-" + code, new ActivationSerializer(destinations)))
                    .uid(SINK_UID_PREFIX + code).name("activation: Kafka " + String.join(", ", names.stream()
                            .sorted().toList()));
        }
    }
}
