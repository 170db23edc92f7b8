package dev.streamingcdp.identity;

import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.ClaimGranted;
import dev.streamingcdp.identity.avro.ClaimIdentifier;
import dev.streamingcdp.identity.avro.ClaimRejected;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.EraseIdentifier;
import dev.streamingcdp.identity.avro.EraseProfile;
import dev.streamingcdp.identity.avro.EventForAnchor;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.IdentityNode;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.identity.avro.RelabelIdentifier;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.ingest.RejectReason;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by identifier (namespace:value): which profile the identifier belongs to. Events arrive here keyed by their
 * strongest identifier and go on to that identifier's profile at once (the common path: one state read). Profiles ask
 * for the other identifiers an event carries (claims); the answer is granted, or a conflict that starts a merge.
 *
 * <p>Labels only ever move to a stronger identifier, so a relabel is idempotent and order does not matter.
 *
 * <p>A GDPR erasure arrives here keyed by the identifier it names: the node tells which profile to erase. A node of an
 * erased profile becomes a tombstone for {@code privacy.erasureGrace} (its key and the erased profile id, nothing
 * else; a timer then clears it), because her identifiers reach the suppression filter only one feedback hop later:
 * until then an event routed to it is dead-lettered ({@code suppressed}) and a claim on it is answered
 * {@link #ERASED}, so a profile that picked up one of her identifiers is erased in turn instead of being granted it.
 */
public class IdentityFunction extends KeyedProcessFunction<String, IdentityCommand, ProfileCommand> {

    static final ValueStateDescriptor<IdentityNode> NODE =
            new ValueStateDescriptor<>("node", new AvroTypeInfo<>(IdentityNode.class));

    /** The rule of a {@link ClaimRejected} for a tombstone; its detail is the erased profile id. */
    public static final String ERASED = "erased";

    private final IdentityRules rules;
    private final long erasureGraceMillis;
    private transient ValueState<IdentityNode> node;
    private transient Counter sharedDevices;
    private transient Counter droppedAfterErasure;

    public IdentityFunction(IdentityRules rules, Duration erasureGrace) {
        this.rules = rules;
        this.erasureGraceMillis = erasureGrace.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        node = getRuntimeContext().getState(NODE);
        sharedDevices = getRuntimeContext().getMetricGroup().addGroup("identity").counter("sharedDevices");
        droppedAfterErasure = getRuntimeContext().getMetricGroup().addGroup("identity")
                .counter("eventsDroppedAfterErasure");
    }

    @Override
    public void processElement(IdentityCommand command, Context ctx, Collector<ProfileCommand> out) throws Exception {
        Object body = command.getBody();
        IdentityNode n = node.value();
        if (n != null && n.getErasedUntil() != 0) {
            afterErasure(n, body, ctx, out);
        } else if (body instanceof EventForAnchor e) {
            routeEvent(e, n, out);
        } else if (body instanceof ClaimIdentifier c) {
            claim(c, n, ctx.getCurrentKey(), out);
        } else if (body instanceof RelabelIdentifier r) {
            relabel(r, n);
        } else if (body instanceof ForgetIdentifier f) {
            forget(f, n, ctx);
        } else if (body instanceof EraseIdentifier e) {
            erase(e, n, ctx, out);
        }
    }

    /** The tombstone's grace is over: the key leaves the state (unless a later erasure renewed it). */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProfileCommand> out) throws Exception {
        IdentityNode n = node.value();
        if (n != null && n.getErasedUntil() != 0 && n.getErasedUntil() <= timestamp) {
            node.clear();
        }
    }

    /**
     * A tombstone: nothing links to it or routes through it. A repeated erasure renews it (a new request names the
     * profile id this identifier would anchor); relabels and plain forgets have nothing left to change.
     */
    private void afterErasure(IdentityNode n, Object body, Context ctx, Collector<ProfileCommand> out)
            throws Exception {
        if (body instanceof EventForAnchor e) {
            droppedAfterErasure.inc();
            ctx.output(DeadLetters.TAG, new DeadLetter(RejectReason.SUPPRESSED.code(),
                    "reached an identifier of erased profile " + n.getErasedProfileId()
                            + " before its suppression; payload withheld",
                    e.getEvent().getSource(), ByteBuffer.allocate(0)));
        } else if (body instanceof ClaimIdentifier c) {
            out.collect(Commands.toProfile(c.getProfileId(), new ClaimRejected(identifierOfKey(ctx.getCurrentKey()),
                    ERASED, n.getErasedProfileId(), c.getMessageId())));
        } else if (body instanceof ForgetIdentifier f && f.getErased()) {
            tombstone(f.getProfileId(), ctx);
        } else if (body instanceof EraseIdentifier e) {
            erase(e, n, ctx, out);
        }
    }

    /** A new strongest identifier starts its own profile; a merge may fold it into another one later. */
    private void routeEvent(EventForAnchor e, IdentityNode n, Collector<ProfileCommand> out) throws Exception {
        if (n == null || n.getProfileId() == null) {
            Identifier anchor = rules.strongest(e.getEvent().getIdentifiers());
            n = n == null ? new IdentityNode(null, null, new ArrayList<>(), false, null, 0L) : n;
            n.setProfileId(ProfileId.of(anchor));
            n.setLabel(anchor);
            node.update(n);
        }
        out.collect(Commands.toProfile(n.getProfileId(), new EventAtProfile(e.getEvent(), n.getLabel(), 0)));
    }

    private void claim(ClaimIdentifier c, IdentityNode n, String key, Collector<ProfileCommand> out)
            throws Exception {
        Identifier self = identifierOfKey(key);
        if (n == null) {
            n = new IdentityNode(null, null, new ArrayList<>(), false, null, 0L);
        }
        if (rules.guarded(self.getNamespace()) && seenWithTooManyUsers(n, c)) {
            node.update(n);
            out.collect(Commands.toProfile(c.getProfileId(), new ClaimRejected(self, "shared_device",
                    self.getNamespace() + " seen with more than " + rules.maxUserIdsPerDevice() + " user ids",
                    c.getMessageId())));
            return;
        }
        if (n.getProfileId() == null) {
            n.setProfileId(c.getProfileId());
            n.setLabel(c.getLabel());
        }
        node.update(n);
        out.collect(Commands.toProfile(c.getProfileId(), n.getProfileId().equals(c.getProfileId())
                ? new ClaimGranted(self)
                : new ClaimConflict(self, n.getProfileId(), n.getLabel(), c.getMessageId())));
    }

    /** Remembers up to max + 1 distinct user ids; past the maximum the identifier is shared and stops linking. */
    private boolean seenWithTooManyUsers(IdentityNode n, ClaimIdentifier c) {
        if (!n.getShared()) {
            for (String userId : c.getUserIds()) {
                if (!n.getUserIds().contains(userId)) {
                    n.getUserIds().add(userId);
                }
            }
            if (n.getUserIds().size() > rules.maxUserIdsPerDevice()) {
                n.setShared(true);
                sharedDevices.inc();
            }
        }
        return n.getShared();
    }

    private void relabel(RelabelIdentifier r, IdentityNode n) throws Exception {
        if (n != null && n.getLabel() != null && rules.compare(r.getLabel(), n.getLabel()) < 0) {
            n.setProfileId(r.getProfileId());
            n.setLabel(r.getLabel());
            node.update(n);
        }
    }

    /**
     * The profile let the identifier go. An erasure leaves a tombstone whatever the node held; otherwise the node
     * stays only while the shared-device guard remembers something, so the key of a released identifier leaves the
     * state.
     */
    private void forget(ForgetIdentifier f, IdentityNode n, Context ctx) throws Exception {
        if (f.getErased()) {
            tombstone(f.getProfileId(), ctx);
        } else if (n != null && f.getProfileId().equals(n.getProfileId())) {
            if (n.getUserIds().isEmpty() && !n.getShared()) {
                node.clear();
            } else {
                n.setProfileId(null);
                n.setLabel(null);
                node.update(n);
            }
        }
    }

    /**
     * Erase the person this identifier belongs to: her profile gets the erasure (with no profile, the id this
     * identifier would anchor gets it, so nothing in flight re-creates her there), and the node becomes a tombstone.
     */
    private void erase(EraseIdentifier e, IdentityNode n, Context ctx, Collector<ProfileCommand> out)
            throws Exception {
        Identifier self = identifierOfKey(ctx.getCurrentKey());
        String profileId = n != null && n.getProfileId() != null ? n.getProfileId() : ProfileId.of(self);
        out.collect(Commands.toProfile(profileId,
                new EraseProfile(e.getRequestId(), e.getRequestedAt(), new ArrayList<>(List.of(self)))));
        // a repeated erasure keeps pointing claims at the first one's marker, which holds her counts
        tombstone(n != null && n.getErasedProfileId() != null ? n.getErasedProfileId() : profileId, ctx);
    }

    /** Only the key and the erased profile id stay, until the grace is over. */
    private void tombstone(String erasedProfileId, Context ctx) throws Exception {
        long until = ctx.timerService().currentProcessingTime() + erasureGraceMillis;
        node.update(IdentityNode.newBuilder().setErasedProfileId(erasedProfileId).setErasedUntil(until).build());
        ctx.timerService().registerProcessingTimeTimer(until);
    }

    /** The key is namespace:value, and namespaces never contain a colon. */
    private static Identifier identifierOfKey(String key) {
        int colon = key.indexOf(':');
        return new Identifier(key.substring(0, colon), key.substring(colon + 1));
    }
}
