package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.privacy.avro.SuppressionEntry;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.executiongraph.ExecutionGraphID;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.scheduler.strategy.ExecutionVertexID;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The loop's stamping and phantom-dropping operators in Flink's harness, and the stamp's trip through Kafka. */
class FeedbackLoopOperatorsTest {

    @Test
    void aRestoredFilterDropsWhatTheFailedExecutionWroteAfterTheCheckpointAndKeepsWhatCameBefore() throws Exception {
        OperatorSubtaskState filterAtOne;
        List<StampedFeedback> firstRun = new ArrayList<>();
        try (var filter = filter(); var stamp = stamper(filter)) {
            stamp.open();
            filter.open();
            firstRun.add(stamp(stamp, "before-1"));
            stamp.snapshot(1, 10);
            filterAtOne = filter.snapshot(1, 10);
            firstRun.add(stamp(stamp, "after-1"));
            firstRun.forEach(m -> process(filter, m));
            assertThat(requests(filter)).as("the live execution's own messages").containsExactly("before-1", "after-1");
        }

        try (var filter = filter(); var stamp = stamper(filter)) {
            filter.setRestoredCheckpointId(1);
            filter.initializeState(filterAtOne);
            stamp.setRestoredCheckpointId(1);
            stamp.initializeState(OperatorSubtaskState.builder().build()); // keeps no state, only the restore point
            stamp.open();
            filter.open();
            StampedFeedback own = stamp(stamp, "second-run");
            assertThat(own.epoch).as("epoch of a restored execution before its first barrier").isEqualTo(1);
            firstRun.forEach(m -> process(filter, m));
            process(filter, own);
            process(filter, new StampedFeedback(null, 0, message("older-release")));
            process(filter, new StampedFeedback("a-stranger/0", 0, message("stranger")));

            assertThat(requests(filter)).containsExactly("before-1", "second-run", "older-release");
        }
    }

    @Test
    void theExecutionIsTheGraphAndAttemptSharedByEveryTaskOfIt() {
        ExecutionGraphID graph = new ExecutionGraphID();
        String a = StampFeedback.executionOf(new ExecutionAttemptID(graph, new ExecutionVertexID(new JobVertexID(), 0), 3));
        String b = StampFeedback.executionOf(new ExecutionAttemptID(graph, new ExecutionVertexID(new JobVertexID(), 5), 3));
        String next = StampFeedback.executionOf(new ExecutionAttemptID(graph, new ExecutionVertexID(new JobVertexID(), 0), 4));

        assertThat(a).isEqualTo(b).isEqualTo(graph.toHexString() + "/3").isNotEqualTo(next);
    }

    @Test
    void theStampTravelsInHeadersAndAMessageWithoutThemIsUnstamped() throws Exception {
        ProducerRecord<byte[], byte[]> written = new FeedbackTopic.Serializer("fb")
                .serialize(new StampedFeedback("g/2", 17, message("r")), null, null);
        List<StampedFeedback> read = new ArrayList<>();
        Collector<StampedFeedback> out = collector(read);
        var deserializer = new FeedbackTopic.Deserializer();
        deserializer.deserialize(new ConsumerRecord<>("fb", 0, 0, 0, TimestampType.CREATE_TIME, 0, 0,
                written.key(), written.value(), new RecordHeaders(written.headers().toArray()), java.util.Optional.empty()), out);
        deserializer.deserialize(new ConsumerRecord<>("fb", 0, 1, written.key(), written.value()), out);

        assertThat(new String(written.key(), StandardCharsets.UTF_8)).isEqualTo("privacy:r");
        assertThat(read.get(0)).extracting(s -> s.writer, s -> s.epoch).containsExactly("g/2", 17L);
        assertThat(read.get(0).message).isEqualTo(message("r"));
        assertThat(read.get(1).writer).isNull();
        assertThat(FeedbackTopic.TYPE).isInstanceOf(PojoTypeInfo.class);
    }

    /** In the filter's task environment: the same execution, as in a job. */
    private static OneInputStreamOperatorTestHarness<FeedbackMessage, StampedFeedback> stamper(
            OneInputStreamOperatorTestHarness<StampedFeedback, FeedbackMessage> filter) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new StampFeedback(), filter.getEnvironment());
    }

    private static OneInputStreamOperatorTestHarness<StampedFeedback, FeedbackMessage> filter() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new DropPhantoms());
    }

    private static StampedFeedback stamp(OneInputStreamOperatorTestHarness<FeedbackMessage, StampedFeedback> h,
            String request) throws Exception {
        h.processElement(message(request), 0);
        return h.extractOutputValues().get(h.extractOutputValues().size() - 1);
    }

    private static void process(OneInputStreamOperatorTestHarness<StampedFeedback, FeedbackMessage> h,
            StampedFeedback m) {
        try {
            h.processElement(m, 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> requests(OneInputStreamOperatorTestHarness<StampedFeedback, FeedbackMessage> h) {
        return h.extractOutputValues().stream().map(m -> ((SuppressionUpdate) m.getCommand()).getRequestId()).toList();
    }

    private static FeedbackMessage message(String request) {
        return new FeedbackMessage(new SuppressionUpdate(request, List.of(), List.of(),
                new SuppressionEntry(request, 0L, 0L)));
    }

    private static <T> Collector<T> collector(List<T> into) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                into.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
