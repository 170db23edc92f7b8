package dev.streamingcdp.identity;

import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import java.io.IOException;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

/** Small builders shared by the operator harness tests. */
final class HarnessSupport {

    private HarnessSupport() {}

    /** The value of a keyed value state for one key, as the operator left it. */
    static <K, T> T state(AbstractStreamOperatorTestHarness<?> h, K key, ValueStateDescriptor<T> descriptor)
            throws Exception {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) h.getOperator();
        operator.setCurrentKey(key);
        return operator.getKeyedStateBackend()
                .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor).value();
    }

    /** What the operator sent to {@code tag} so far. */
    static <T> List<T> sideOutput(AbstractStreamOperatorTestHarness<?> h, OutputTag<T> tag) {
        var records = h.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    static Identifier id(String namespace, String value) {
        return new Identifier(namespace, value);
    }

    static CdpEvent event(String messageId, String type, Instant at, Identifier... ids) {
        return CdpEvent.newBuilder().setMessageId(messageId).setType(type).setEventTime(at)
                .setIdentifiers(List.of(ids)).setTraits(new HashMap<>()).setProperties(new HashMap<>())
                .setConsent(new HashMap<>()).setSource(new SourceRef("t", 0, 0L, 0L)).build();
    }

    /** Rules with user_id unique, email limited to 2, and a shared-device guard of 3 user ids. */
    static IdentityRules strictRules(Path dir) throws IOException {
        Files.writeString(dir.resolve(IdentityRules.FILE), """
                namespaces:
                  - name: user_id
                    unique: true
                  - name: email
                    limit: 2
                  - name: device_id
                    anonymous: true
                  - name: anonymous_id
                    anonymous: true
                sharedDeviceGuard:
                  namespaces: [device_id]
                  maxUserIds: 3
                """);
        return IdentityRules.load(dir);
    }
}
