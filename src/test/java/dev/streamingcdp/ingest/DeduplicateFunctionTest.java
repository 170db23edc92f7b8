package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** The de-duplication operator's state: kept across a snapshot/restore, forgotten after the horizon (TTL). */
class DeduplicateFunctionTest {

    private static final Duration HORIZON = Duration.ofHours(1);

    @Test
    void aRepeatedMessageIdIsDroppedAlsoAfterRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            harness.processElement(new StreamRecord<>(event("m1"), 1));
            harness.processElement(new StreamRecord<>(event("m1"), 2));
            harness.processElement(new StreamRecord<>(event("m2"), 3));
            assertThat(ids(harness)).containsExactly("m1", "m2");
            snapshot = harness.snapshot(1, 10);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>(event("m1"), 4));
            restored.processElement(new StreamRecord<>(event("m3"), 5));
            assertThat(ids(restored)).containsExactly("m3");
        }
    }

    @Test
    void anIdIsForgottenOnceTheHorizonHasPassed() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.setStateTtlProcessingTime(0);
            harness.processElement(new StreamRecord<>(event("m1"), 1));
            harness.setStateTtlProcessingTime(HORIZON.toMillis() - 1);
            harness.processElement(new StreamRecord<>(event("m1"), 2));
            harness.setStateTtlProcessingTime(2 * HORIZON.toMillis());
            harness.processElement(new StreamRecord<>(event("m1"), 3));
            assertThat(ids(harness)).containsExactly("m1", "m1");
        }
    }

    @Test
    void theKeyIsAShortHashOfTheMessageId() {
        List<String> keys = IntStream.range(0, 10_000).mapToObj(i -> DeduplicateFunction.key(event("m" + i))).toList();
        assertThat(keys).doesNotHaveDuplicates().allSatisfy(k -> assertThat(k).matches("[A-Za-z0-9_-]{22}"));
        assertThat(DeduplicateFunction.key(event("m1"))).isEqualTo(keys.get(1));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CdpEvent, CdpEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateFunction(HORIZON)), DeduplicateFunction::key, Types.STRING);
    }

    private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<String, CdpEvent, CdpEvent> h) {
        return h.extractOutputValues().stream().map(CdpEvent::getMessageId).toList();
    }

    private static CdpEvent event(String id) {
        return CdpEvent.newBuilder().setMessageId(id).setType("track").setEventTime(Instant.EPOCH)
                .setIdentifiers(List.of(new Identifier("anonymous_id", "a"))).setTraits(Map.of())
                .setProperties(Map.of()).setConsent(Map.of()).setSource(new SourceRef("t", 0, 0L, 0L)).build();
    }
}
