package dev.streamingcdp.privacy;

import dev.streamingcdp.activation.ActivationStage;
import dev.streamingcdp.activation.avro.ActivationState;
import dev.streamingcdp.identity.IdentityStage;
import dev.streamingcdp.identity.avro.IdentityNode;
import dev.streamingcdp.identity.avro.MergeStatus;
import dev.streamingcdp.ingest.IngestStage;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import dev.streamingcdp.privacy.avro.SuppressionEntry;
import dev.streamingcdp.segment.SegmentStage;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.segment.avro.SegmentState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * Every keyed and broadcast state of the job in a savepoint, read with the State Processor API, one line per key and
 * state: "uid | state | key | value.toString()". The descriptors repeat the operators' (name and type must match
 * what was written); {@link #operators} lets a test check that each operator's state was really found.
 */
final class SavepointDump {

    /** A line of the dump. */
    record Line(String uid, String state, String key, String value) {
        @Override
        public String toString() {
            return uid + " | " + state + " | " + key + " | " + value;
        }
    }

    private SavepointDump() {}

    static List<Line> read(String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        DataStream<String> all = keyed(reader, IngestStage.DEDUPLICATE_UID, dedupSeen())
                .union(keyed(reader, IdentityStage.RESOLVE_UID, avro("node", IdentityNode.class)),
                        keyed(reader, IdentityStage.PROFILE_UID, avro("profile", ProfileState.class),
                                avro("merge-status", MergeStatus.class),
                                avro("segment-memberships", SegmentState.class),
                                avro("erased", ErasureMarker.class)),
                        keyed(reader, ActivationStage.GATE_UID, avro("activation-sent", ActivationState.class)),
                        keyed(reader, SegmentStage.CONTROL_CHECK_UID,
                                avro("segment-definition", SegmentControl.class)),
                        broadcast(reader, PrivacyStage.SUPPRESS_UID, "suppressed-identifiers",
                                new AvroTypeInfo<>(SuppressionEntry.class)),
                        broadcast(reader, IdentityStage.PROFILE_UID, "segment-definitions",
                                new AvroTypeInfo<>(SegmentControl.class)));
        List<Line> lines = new ArrayList<>();
        try (CloseableIterator<String> it = all.executeAndCollect("read savepoint " + savepoint)) {
            it.forEachRemaining(l -> {
                String[] p = l.split(" \\| ", 4);
                lines.add(new Line(p[0], p[1], p[2], p[3]));
            });
        }
        return lines;
    }

    static List<String> operators(List<Line> lines) {
        return lines.stream().map(Line::uid).distinct().sorted().toList();
    }

    private static DataStream<String> keyed(SavepointReader reader, String uid, ValueStateDescriptor<?>... states)
            throws Exception {
        return reader.readKeyedState(OperatorIdentifier.forUid(uid), new Values(uid, List.of(states)), Types.STRING,
                Types.STRING);
    }

    private static <V> DataStream<String> broadcast(SavepointReader reader, String uid, String name,
            TypeInformation<V> type) throws Exception {
        return reader.readBroadcastState(OperatorIdentifier.forUid(uid), name, Types.STRING, type)
                .map(t -> uid + " | " + name + " | " + t.f0 + " | " + t.f1).returns(Types.STRING);
    }

    private static <T extends SpecificRecordBase> ValueStateDescriptor<T> avro(String name, Class<T> type) {
        return new ValueStateDescriptor<>(name, new AvroTypeInfo<>(type));
    }

    /** As DeduplicateFunction declares it: the TTL changes how the value is written, so it must match. */
    private static ValueStateDescriptor<Boolean> dedupSeen() {
        ValueStateDescriptor<Boolean> seen = new ValueStateDescriptor<>("seen", Boolean.class);
        seen.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofHours(24))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return seen;
    }

    /** Every value state of one operator, for every key. */
    private static final class Values extends KeyedStateReaderFunction<String, String> {
        private final String uid;
        private final List<ValueStateDescriptor<?>> descriptors;
        private transient List<ValueState<?>> states;

        Values(String uid, List<ValueStateDescriptor<?>> descriptors) {
            this.uid = uid;
            this.descriptors = descriptors;
        }

        @Override
        public void open(OpenContext openContext) {
            states = new ArrayList<>();
            descriptors.forEach(d -> states.add(getRuntimeContext().getState(d)));
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String> out) throws Exception {
            for (int i = 0; i < states.size(); i++) {
                Object value = states.get(i).value();
                if (value != null) {
                    out.collect(uid + " | " + descriptors.get(i).getName() + " | " + key + " | " + value);
                }
            }
        }
    }
}
