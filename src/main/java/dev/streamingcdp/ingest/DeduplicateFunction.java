package dev.streamingcdp.ingest;

import dev.streamingcdp.model.CdpEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by messageId: the first event with an id passes, repeats within the horizon are dropped and counted. The
 * horizon is a state TTL (processing time), so state holds only the ids of the last horizon. The key is a hash of the
 * id, not the id: state then holds nothing that an erasure would have to find. It is SHA-256 cut to 128 bits, in
 * base64 (22 characters): one entry per event of the horizon makes this the job's largest state, and 128 bits keep
 * a false duplicate out of reach (about 10^-20 for 10^9 ids a day).
 */
public class DeduplicateFunction extends KeyedProcessFunction<String, CdpEvent, CdpEvent> {

    /** The one piece of state: whether this messageId was seen. Its name is part of the savepoint format. */
    static ValueStateDescriptor<Boolean> seenDescriptor(Duration horizon) {
        ValueStateDescriptor<Boolean> seen = new ValueStateDescriptor<>("seen", Boolean.class);
        seen.enableTimeToLive(StateTtlConfig.newBuilder(horizon)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return seen;
    }

    /** One digest per thread: looking SHA-256 up among the security providers cost more than hashing an id. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    /** The key of an event: the first 128 bits of the SHA-256 of its messageId, base64url without padding. */
    public static String key(CdpEvent event) {
        byte[] digest = SHA_256.get().digest(event.getMessageId().getBytes(StandardCharsets.UTF_8));
        return BASE64.encodeToString(Arrays.copyOf(digest, 16));
    }

    private final Duration horizon;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    public DeduplicateFunction(Duration horizon) {
        this.horizon = horizon;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(seenDescriptor(horizon));
        duplicates = getRuntimeContext().getMetricGroup().addGroup("ingest").counter("duplicatesDropped");
    }

    @Override
    public void processElement(CdpEvent event, Context ctx, Collector<CdpEvent> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(true);
        out.collect(event);
    }
}
