package dev.streamingcdp.privacy;

import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.ingest.RejectReason;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.privacy.avro.SuppressionEntry;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Before identity: an event carrying any identifier on the suppression list goes to the DLQ as {@code suppressed}
 * instead of reaching identity (and the enriched topic). The list is broadcast state: salted hash -> entry. The
 * dead letter names the namespace and the request, and withholds the payload: it is her data.
 *
 * <p>Entries lapse at their {@code until} (processing time): a lapsed entry no longer suppresses, and lapsed entries
 * are removed from the state at the next change of the list (a broadcast function has no timers).
 */
public class SuppressionFilter extends BroadcastProcessFunction<CdpEvent, SuppressionUpdate, CdpEvent> {

    /** Broadcast state: hash of a suppressed identifier -> which request suppressed it, and until when. */
    public static final MapStateDescriptor<String, SuppressionEntry> SUPPRESSED = new MapStateDescriptor<>(
            "suppressed-identifiers", Types.STRING, new AvroTypeInfo<>(SuppressionEntry.class));

    private final Suppressions suppressions;
    private transient Counter suppressed;

    public SuppressionFilter(Suppressions suppressions) {
        this.suppressions = suppressions;
    }

    @Override
    public void open(OpenContext openContext) {
        suppressed = getRuntimeContext().getMetricGroup().addGroup("privacy").counter("suppressedEvents");
    }

    @Override
    public void processElement(CdpEvent event, ReadOnlyContext ctx, Collector<CdpEvent> out) throws Exception {
        ReadOnlyBroadcastState<String, SuppressionEntry> list = ctx.getBroadcastState(SUPPRESSED);
        if (list.immutableEntries().iterator().hasNext()) { // nothing to hash while the list is empty
            long now = ctx.currentProcessingTime();
            for (Identifier x : event.getIdentifiers()) {
                SuppressionEntry entry = list.get(suppressions.hash(x));
                if (entry != null && entry.getUntil() > now) {
                    suppressed.inc();
                    ctx.output(DeadLetters.TAG, new DeadLetter(RejectReason.SUPPRESSED.code(),
                            "carries a " + x.getNamespace() + " on the suppression list (request "
                                    + entry.getRequestId() + "); payload withheld",
                            event.getSource(), ByteBuffer.allocate(0)));
                    return;
                }
            }
        }
        out.collect(event);
    }

    /** Removals first, then additions; an addition never shortens an entry that lasts longer. */
    @Override
    public void processBroadcastElement(SuppressionUpdate update, Context ctx, Collector<CdpEvent> out)
            throws Exception {
        BroadcastState<String, SuppressionEntry> list = ctx.getBroadcastState(SUPPRESSED);
        long now = ctx.currentProcessingTime();
        List<String> lapsed = new ArrayList<>();
        for (Map.Entry<String, SuppressionEntry> e : list.entries()) {
            if (e.getValue().getUntil() <= now) {
                lapsed.add(e.getKey());
            }
        }
        for (String hash : lapsed) {
            list.remove(hash);
        }
        for (String hash : update.getRemove()) {
            list.remove(hash);
        }
        // a copy: broadcast state is on the heap, and the job runs with object reuse
        SuppressionEntry entry = SuppressionEntry.newBuilder(update.getEntry()).build();
        if (entry.getUntil() <= now) {
            return;
        }
        for (String hash : update.getAdd()) {
            SuppressionEntry current = list.get(hash);
            if (current == null || current.getUntil() < entry.getUntil()) {
                list.put(hash, entry);
            }
        }
    }
}
