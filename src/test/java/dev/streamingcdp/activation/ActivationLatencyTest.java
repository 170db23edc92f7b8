package dev.streamingcdp.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.activation.avro.MemberOf;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.segment.SegmentCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The latency histogram gets processing time minus the triggering event's Kafka timestamp, per record emitted. */
class ActivationLatencyTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");

    @Test
    void eachRecordAddsTheTimeSinceItsEventWasWrittenToKafka() throws Exception {
        Map<String, Object> registered = new HashMap<>();
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setRegisterConsumer((metric, name, group) -> registered.put(name, metric)).build();
        MockEnvironment env = new MockEnvironmentBuilder().setMetricGroup(TaskManagerMetricGroup
                .createTaskManagerMetricGroup(registry, "localhost", ResourceID.generate())
                .addJob(new JobID(), "job").addTask(ExecutionAttemptID.randomId(), "activation")).build();
        Destinations destinations = Destinations.load(DEMO, SegmentCatalog.load(DEMO));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ActivationFunction(destinations)), ActivationInput::getProfileId, Types.STRING, env)) {
            h.open();
            Histogram latency = (Histogram) registered.get("eventToActivationLatencyMs");
            assertThat(latency).isNotNull();

            // she enters two segments feeding two destinations she allows: two records, 250 ms after her event
            h.setProcessingTime(10_250);
            Map<String, MemberOf> members = new HashMap<>();
            members.put("running-shoes-interest", new MemberOf(1, List.of("email-marketing")));
            members.put("prospecting-ads", new MemberOf(1, List.of("ads-prospecting")));
            h.processElement(input(members, 10_000L), 1);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(latency.getCount()).isEqualTo(2);
            assertThat(latency.getStatistics().getMax()).isEqualTo(250);
            assertThat(latency.getStatistics().getMin()).isEqualTo(250);

            // a change without a triggering event (a lapsed window) emits, but measures nothing
            h.setProcessingTime(20_000);
            members.remove("prospecting-ads");
            h.processElement(input(members, null), 2);
            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(latency.getCount()).isEqualTo(2);

            // a later event, 4 s in flight
            h.setProcessingTime(30_000);
            members.remove("running-shoes-interest");
            h.processElement(input(members, 26_000L), 3);
            assertThat(h.extractOutputValues()).hasSize(4);
            assertThat(latency.getCount()).isEqualTo(3);
            assertThat(latency.getStatistics().getMax()).isEqualTo(4_000);
        }
    }

    private static ActivationInput input(Map<String, MemberOf> members, Long triggeredAt) {
        return new ActivationInput("p-ivy", 1_000L, new ArrayList<>(), new HashMap<>(members),
                new HashMap<>(Map.of("marketing", true, "advertising", true)),
                new ArrayList<>(List.of(new Identifier("email", "ivy@example.com"))), false, false, null,
                triggeredAt);
    }
}
