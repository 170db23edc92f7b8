package dev.streamingcdp.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.ingest.RejectReason;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.segment.avro.ControlRecord;
import dev.streamingcdp.segment.avro.SegmentControl;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by segment id (the control topic's key): checks each control record and passes on the accepted changes.
 * A document must be a valid definition whose id is its key and whose version is higher than the running one (the
 * same version and the same definition again is ignored: a restart re-reads the topic); {@code "deleted": true} or a
 * tombstone deletes. Anything else goes to the DLQ with reason {@code bad_segment}, and the running definitions stay.
 */
public class SegmentControlFunction extends KeyedProcessFunction<String, ControlRecord, SegmentControl> {

    static final ValueStateDescriptor<SegmentControl> CURRENT =
            new ValueStateDescriptor<>("segment-definition", new AvroTypeInfo<>(SegmentControl.class));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SegmentCatalog catalog;
    /** The job's destinations: a segment feeding another one would lose its changes. None: activation is off. */
    private final Set<String> destinations;
    private transient ValueState<SegmentControl> current;

    public SegmentControlFunction(SegmentCatalog catalog, Set<String> destinations) {
        this.catalog = catalog;
        this.destinations = Set.copyOf(destinations);
    }

    /** The control topic's key, or "" for a record without one (rejected in processElement). */
    public static String key(ControlRecord r) {
        return r.getKey() == null ? "" : r.getKey();
    }

    @Override
    public void open(OpenContext openContext) {
        current = getRuntimeContext().getState(CURRENT);
    }

    @Override
    public void processElement(ControlRecord r, Context ctx, Collector<SegmentControl> out) throws Exception {
        try {
            SegmentControl accepted = check(r);
            if (accepted != null) {
                current.update(accepted);
                out.collect(accepted);
            }
        } catch (Rejected e) {
            ctx.output(DeadLetters.TAG, new DeadLetter(RejectReason.BAD_SEGMENT.code(), e.getMessage(),
                    r.getSource(), r.getPayload() != null ? r.getPayload() : ByteBuffer.allocate(0)));
        }
    }

    /** The change to apply, or null when it changes nothing. */
    private SegmentControl check(ControlRecord r) throws Exception {
        if (r.getKey() == null || r.getKey().isBlank()) {
            throw new Rejected("the control topic is keyed by segment id; this record has no key");
        }
        String id = r.getKey();
        if (r.getPayload() == null) {
            return delete(id);
        }
        String text = utf8(r.getPayload());
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (Exception e) {
            throw new Rejected("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (tree != null && tree.path("deleted").asBoolean(false)) {
            String named = tree.path("id").asText(id);
            if (!named.equals(id)) {
                throw new Rejected("id '" + named + "' differs from the record key '" + id + "'");
            }
            return delete(id);
        }
        SegmentDefinition next;
        try {
            next = catalog.definitionFromJson(text);
        } catch (ConfigException e) {
            throw new Rejected(e.getMessage());
        }
        if (!next.id().equals(id)) {
            throw new Rejected("id '" + next.id() + "' differs from the record key '" + id + "'");
        }
        for (int i = 0; i < next.destinations().size(); i++) {
            if (!destinations.isEmpty() && !destinations.contains(next.destinations().get(i))) {
                throw new Rejected("field 'destinations[" + i + "]': '" + next.destinations().get(i)
                        + "' is not a destination of this job (" + String.join(", ", new TreeSet<>(destinations))
                        + ")");
            }
        }
        SegmentDefinition running = running(id);
        if (running != null && next.version() <= running.version()) {
            if (next.equals(running)) {
                return null;
            }
            throw new Rejected("version " + next.version() + " of '" + id + "' is not newer than the running version "
                    + running.version() + "; raise the version to change it");
        }
        return new SegmentControl(id, text);
    }

    private SegmentControl delete(String id) throws Exception {
        if (running(id) == null) {
            throw new Rejected("there is no segment '" + id + "' to delete");
        }
        return new SegmentControl(id, null);
    }

    /** The definition in force for {@code id}: the last accepted change, else the job's YAML; null when none. */
    private SegmentDefinition running(String id) throws Exception {
        SegmentControl c = current.value();
        if (c == null) {
            return catalog.segment(id).orElse(null);
        }
        return c.getDefinition() == null ? null : catalog.definitionFromJson(c.getDefinition());
    }

    private static String utf8(ByteBuffer payload) throws Rejected {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(payload.duplicate()).toString();
        } catch (CharacterCodingException e) {
            throw new Rejected("not UTF-8 text");
        }
    }

    /** Why a control record is not applied: the DLQ detail. */
    private static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
