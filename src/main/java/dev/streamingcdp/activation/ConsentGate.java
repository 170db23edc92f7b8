package dev.streamingcdp.activation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.activation.Destinations.Destination;
import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.activation.avro.ActivationState;
import dev.streamingcdp.activation.avro.MemberOf;
import dev.streamingcdp.activation.avro.Sent;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.model.SegmentChange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides what each destination must be told: a destination should hold exactly the segments she is in that feed
 * it, and only while her consent for its purpose is granted (stated, or the purpose's default). Whatever differs
 * from what it was told before becomes one ENTERED or EXITED record with the next sequence for that destination,
 * profile and segment; so a revocation retracts her and a later grant brings her back.
 */
public final class ConsentGate implements Serializable {

    private final Destinations destinations;

    public ConsentGate(Destinations destinations) {
        this.destinations = destinations;
    }

    public List<ActivationRecord> apply(ActivationInput in, ActivationState state) {
        Map<String, SegmentChange> changes = new TreeMap<>();
        in.getChanges().forEach(c -> changes.put(c.getSegmentId(), c));
        List<ActivationRecord> out = new ArrayList<>(0);
        for (Destination d : destinations.destinations()) {
            Boolean stated = in.getConsent().get(d.purpose());
            boolean granted = stated != null ? stated : destinations.grantedByDefault(d.purpose());
            ObjectNode consent = Json.object().put("purpose", d.purpose()).put("granted", granted)
                    .put("source", stated != null ? "stated" : "default");
            Map<String, MemberOf> wanted = new TreeMap<>();
            if (granted && !in.getGone()) {
                in.getMembers().forEach((segment, m) -> {
                    if (m.getDestinations().contains(d.name())) {
                        wanted.put(segment, m);
                    }
                });
            }
            for (Map.Entry<String, MemberOf> w : wanted.entrySet()) {
                Sent sent = state.getSent().get(key(d, w.getKey()));
                if (sent == null || !sent.getMember()) {
                    out.add(record(in, state, d, w.getKey(), w.getValue().getVersion(), true,
                            reason(changes.get(w.getKey()), consent)));
                }
            }
            for (Map.Entry<String, Sent> s : new TreeMap<>(state.getSent()).entrySet()) {
                String segment = segmentOf(d, s.getKey());
                if (segment != null && s.getValue().getMember() && !wanted.containsKey(segment)) {
                    out.add(record(in, state, d, segment, s.getValue().getVersion(), false,
                            reason(changes.get(segment), consent)));
                }
            }
        }
        return out;
    }

    /**
     * GDPR erasure: one {@code profile.erased} to every destination she was ever sent to, whatever her consent
     * (the destination holds her data either way), with a sequence after everything it got of her.
     */
    public List<ActivationRecord> erase(ActivationInput in, ActivationState state) {
        List<ActivationRecord> out = new ArrayList<>(0);
        for (Destination d : destinations.destinations()) {
            long last = -1;
            for (Map.Entry<String, Sent> s : state.getSent().entrySet()) {
                if (segmentOf(d, s.getKey()) != null) {
                    last = Math.max(last, s.getValue().getSequence());
                }
            }
            if (last < 0) {
                continue;
            }
            ObjectNode reason = Json.object().put("trigger", "erased").put("requestId", in.getRequestId());
            out.add(new ActivationRecord(d.name(), "profile.erased", null, null, in.getProfileId(),
                    IdentifierMapping.map(d, in.getIdentifiers()), in.getOccurredAt(), last + 1, reason.toString()));
        }
        return out;
    }

    private ActivationRecord record(ActivationInput in, ActivationState state, Destination d, String segment,
            int version, boolean entered, ObjectNode reason) {
        String key = key(d, segment);
        Sent before = state.getSent().get(key);
        long sequence = (before == null ? 0 : before.getSequence()) + 1;
        state.getSent().put(key, new Sent(entered, version, sequence));
        return new ActivationRecord(d.name(), entered ? "segment.entered" : "segment.exited", segment, version,
                in.getProfileId(), IdentifierMapping.map(d, in.getIdentifiers()), in.getOccurredAt(), sequence,
                reason.toString());
    }

    /** The segment's own reason when its membership changed in this step, else the consent change decided it. */
    private static ObjectNode reason(SegmentChange change, ObjectNode consent) {
        ObjectNode reason = change != null ? (ObjectNode) Json.parse(change.getReason())
                : Json.object().put("trigger", "consent");
        reason.set("consent", consent);
        return reason;
    }

    private static String key(Destination d, String segment) {
        return d.name() + "|" + segment;
    }

    private static String segmentOf(Destination d, String key) {
        return key.startsWith(d.name() + "|") ? key.substring(d.name().length() + 1) : null;
    }
}
