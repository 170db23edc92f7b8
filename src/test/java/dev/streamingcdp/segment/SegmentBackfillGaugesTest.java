package dev.streamingcdp.segment;

import static dev.streamingcdp.segment.BackfillRun.NO_SEGMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.segment.BackfillRun.Control;
import dev.streamingcdp.segment.BackfillRun.Event;
import dev.streamingcdp.testing.ProfileHarness;
import dev.streamingcdp.testing.ProfileTestHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The backfill's progress gauges (group {@code profile.backfill}) follow its slices, as a dashboard reads them. */
class SegmentBackfillGaugesTest {

    private static final int PROFILES = 50;
    /** 50 = 7 x 7 + 1: the first slice at once, seven more, the last one short. */
    private static final int SLICE = 7;
    private static final Condition GOLD = new Condition.Trait("tier", new Comparison.Equals("gold"));
    private static final Condition GOLD_OR_SILVER =
            new Condition.Trait("tier", new Comparison.In(List.of("gold", "silver")));

    /** What the three gauges say at one moment. */
    record Progress(long pending, long keysDone, long keysEstimate) {}

    /** Every metric registered under the task, by scope and name ("...profile.backfill.pending"). */
    private final Map<String, Metric> registered = new ConcurrentHashMap<>();

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void pendingKeysDoneAndKeysEstimateFollowThePassSliceBySlice(boolean rocksDb) throws Exception {
        // a cache of one profile, never flushed: the pass visits it and the 49 in keyed state, each id once
        try (ProfileTestHarness h = new ProfileTestHarness(BackfillRun.operator(NO_SEGMENTS, SLICE, 1), false,
                recordingTaskGroup())) {
            if (rocksDb) {
                EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
                backend.getMemoryConfiguration().setUseManagedMemory(false); // the harness has almost none
                h.setStateBackend(backend);
            }
            h.open();
            assertThat(progress()).as("registered at open; no pass has run").isEqualTo(new Progress(0, 0, -1));
            for (int p = 0; p < PROFILES; p++) {
                h.processElement(BackfillRun.command(new Event(p + 1, p, "gold")), 0);
            }

            h.processBroadcastElement(BackfillRun.control(new Control("vip", 1, GOLD)), 0);
            // heap state copies the keys when the pass starts; a RocksDB iterator's size is known only at its end
            long estimate = rocksDb ? -1 : PROFILES;
            List<Long> done = new ArrayList<>();
            long time = 0;
            while (progress().pending() == 1 && done.size() < 2 * PROFILES) {
                Progress now = progress();
                assertThat(now.keysDone()).as("slice %d", done.size() + 1).isLessThan(PROFILES);
                assertThat(now.keysEstimate()).as("slice %d", done.size() + 1).isEqualTo(estimate);
                done.add(now.keysDone());
                time += 100;
                h.setProcessingTime(time); // the next slice
            }
            assertThat(done).as("keysDone after each slice that left work").containsExactly(7L, 14L, 21L, 28L, 35L,
                    42L, 49L);
            assertThat(progress()).as("the pass is over").isEqualTo(new Progress(0, PROFILES, PROFILES));
            // the gauges count what was done: every gold profile entered, once
            assertThat(ProfileHarness.sideOutput(h, ProfileOperator.SEGMENT_CHANGES)).hasSize(PROFILES);

            h.processBroadcastElement(BackfillRun.control(new Control("vip", 2, GOLD_OR_SILVER)), 0);
            assertThat(progress()).as("a new pass counts from zero; RocksDB estimates with the last pass's size")
                    .isEqualTo(new Progress(1, SLICE, PROFILES));
        }
    }

    /** A task metric group whose registry records each metric registered under it, subgroups included. */
    private TaskMetricGroup recordingTaskGroup() {
        TestingMetricRegistry registry = TestingMetricRegistry.builder().setRegisterConsumer((metric, name, group) ->
                registered.put(String.join(".", group.getScopeComponents()) + "." + name, metric)).build();
        return TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "localhost", ResourceID.generate())
                .addJob(new JobID(), "job").addTask(ExecutionAttemptID.randomId(), "profile");
    }

    private Progress progress() {
        return new Progress(gauge("pending"), gauge("keysDone"), gauge("keysEstimate"));
    }

    private long gauge(String name) {
        List<Metric> found = registered.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".profile.backfill." + name)).map(Map.Entry::getValue).toList();
        assertThat(found).as("gauge profile.backfill.%s", name).singleElement().isInstanceOf(Gauge.class);
        return ((Number) ((Gauge<?>) found.get(0)).getValue()).longValue();
    }
}
