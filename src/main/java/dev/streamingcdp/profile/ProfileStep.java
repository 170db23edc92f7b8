package dev.streamingcdp.profile;

import dev.streamingcdp.activation.ActivationInputs;
import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityFunction;
import dev.streamingcdp.identity.avro.Absorb;
import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.ClaimGranted;
import dev.streamingcdp.identity.avro.ClaimIdentifier;
import dev.streamingcdp.identity.avro.ClaimRejected;
import dev.streamingcdp.identity.avro.EraseProfile;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.MergeAnswer;
import dev.streamingcdp.identity.avro.MergeOffer;
import dev.streamingcdp.identity.avro.MergeProposal;
import dev.streamingcdp.identity.avro.MergeStatus;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.identity.avro.RelabelIdentifier;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.LinkRejection;
import dev.streamingcdp.model.Namespaces;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import dev.streamingcdp.segment.Memberships;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's (or timer's) work on one profile id's cached entry: dispatch, events and identifier claims, and
 * at the end ({@link #finish}) segment evaluation and what the entry owes its state and the profile topic. The merge
 * protocol, erasure, segments and expiry are their own classes working on this step.
 */
final class ProfileStep {

    final ProfileRuntime rt;
    final ProfileEntry entry;
    final String id;
    ProfileState profile;
    final MergeStatus status;
    boolean profileChanged;
    /** Set when this step erased the profile id: finish() then keeps only this. */
    ErasureMarker erasure;
    final Map<String, Boolean> consentBefore;
    final StepSegments segments;
    private final MergeProtocol merge;

    ProfileStep(ProfileRuntime rt, ProfileEntry entry) {
        this.rt = rt;
        this.entry = entry;
        this.id = rt.key;
        this.profile = entry.profile;
        this.status = entry.status;
        this.consentBefore = ActivationInputs.consent(profile);
        this.segments = new StepSegments(this);
        this.merge = new MergeProtocol(this);
    }

    void handle(ProfileCommand command) {
        Object body = command.getBody();
        if (body instanceof EraseProfile e) { // before all else: a pointer, or a profile waiting for an offer
            new ProfileErasure(this).erase(e);
        } else if (status.getMergedInto() != null) {
            merge.forward(command);
        } else if (status.getOfferedTo() != null && waitsForOffer(body)) {
            status.getWaiting().add(command);
        } else if (body instanceof EventAtProfile e) {
            onEvent(e);
        } else if (body instanceof ClaimGranted g) {
            onGranted(g);
        } else if (body instanceof ClaimRejected r) {
            status.getPendingClaims().remove(ProfileLogic.key(r.getIdentifier()));
            if (IdentityFunction.ERASED.equals(r.getRule())) { // the identifier is an erased person's
                merge.onClaimOfErased(r);
            } else {
                reject(r.getRule(), r.getDetail(), r.getMessageId(), r.getIdentifier());
            }
        } else if (body instanceof ClaimConflict c) {
            merge.onConflict(c);
        } else if (body instanceof MergeProposal p) {
            merge.onProposal(p);
        } else if (body instanceof MergeOffer o) {
            merge.onOffer(o);
        } else if (body instanceof MergeAnswer a) {
            merge.onAnswer(a);
        } else if (body instanceof Absorb a) {
            merge.onAbsorb(a);
        }
    }

    /** Events and merge steps wait while this profile's own offer is out; claim answers and absorbs do not. */
    private static boolean waitsForOffer(Object body) {
        return body instanceof EventAtProfile || body instanceof ClaimConflict
                || body instanceof MergeProposal || body instanceof MergeOffer
                || body instanceof ClaimRejected r && IdentityFunction.ERASED.equals(r.getRule()); // makes an offer
    }

    // ---- events and claims

    private void onEvent(EventAtProfile e) {
        CdpEvent event = e.getEvent();
        if (profile == null) {
            profile = ProfileLogic.create(id, e.getLabel(), event.getEventTime());
            profile.getIdentifiers().put(ProfileLogic.key(e.getLabel()), e.getLabel());
            rt.metrics.created.inc();
        }
        rt.logic.apply(profile, event);
        rt.segments.record(profile, event, rt.active, rt.watermark());
        profileChanged = true;
        long receivedAt = event.getSource().getReceivedAt();
        segments.evaluate(Memberships.Trigger.EVENT, event.getEventTime().toEpochMilli(),
                receivedAt > 0 ? receivedAt : null);
        if (e.getRedirects() > 0) { // it came the long way: point its identifier here for next time
            sendToIdentifier(rt.rules.strongest(event.getIdentifiers()),
                    new RelabelIdentifier(id, profile.getLabel()));
        }
        claimUnknownIdentifiers(event);
        status.setLastTouched(rt.now());
        new AnonymousExpiry(this).schedule();
    }

    private void claimUnknownIdentifiers(CdpEvent event) {
        Map<String, Integer> counts = null;
        List<String> userIds = null;
        for (Identifier x : event.getIdentifiers()) {
            String key = ProfileLogic.key(x);
            if (profile.getIdentifiers().containsKey(key) || status.getPendingClaims().containsKey(key)) {
                continue;
            }
            if (counts == null) {
                counts = committedCounts();
                userIds = userIds(event);
            }
            int limit = rt.rules.limit(x.getNamespace());
            if (counts.getOrDefault(x.getNamespace(), 0) + 1 > limit) {
                reject(limit == 1 ? "unique" : "limit", "the profile already has " + limit + " "
                        + x.getNamespace() + (limit == 1 ? "" : " values"), event.getMessageId(), x);
                continue;
            }
            counts.merge(x.getNamespace(), 1, Integer::sum);
            status.getPendingClaims().put(key, x.getNamespace());
            sendToIdentifier(x, new ClaimIdentifier(id, profile.getLabel(), event.getMessageId(), userIds));
        }
    }

    private void onGranted(ClaimGranted g) {
        String key = ProfileLogic.key(g.getIdentifier());
        status.getPendingClaims().remove(key);
        if (profile == null) { // removed meanwhile: release the identifier again
            sendToIdentifier(g.getIdentifier(), new ForgetIdentifier(id, false));
        } else if (profile.getIdentifiers().putIfAbsent(key, g.getIdentifier()) == null) {
            profileChanged = true;
        }
    }

    // ---- the end of the step

    /**
     * Segments are evaluated once, here: a step that applied several commands emits one set of changes. Then the
     * entry records what changed; the operator writes it to state and sends the snapshot when it flushes.
     */
    void finish() {
        if (erasure != null) {
            entry.profile = null;
            entry.status = MergeStatus.newBuilder().build();
            entry.memberships = null;
            entry.erasure = erasure;
            entry.profileDirty = entry.statusDirty = entry.membershipsDirty = entry.erasureDirty = true;
            entry.snapshotOwed = false;
            rt.timers.registerProcessingTimeTimer(erasure.getUntil());
            return;
        }
        if (profileChanged) {
            if (profile != null && segments.triggered()) {
                segments.run();
            }
            if (profile != null) { // the profile store keeps the highest version: a retry never goes back
                profile.setVersion(profile.getVersion() + 1);
            }
            entry.profile = profile;
            entry.profileDirty = true;
            entry.snapshotOwed = profile != null;
            entry.snapshotWatermark = rt.watermark();
        }
        entry.statusDirty = true;
        segments.finish();
    }

    // ---- helpers for the parts of a step

    /** Identifiers held, claimed and reserved: what the identity rules must allow for. */
    Map<String, Integer> committedCounts() {
        Map<String, Integer> counts = profile != null ? ProfileLogic.namespaceCounts(profile) : new HashMap<>();
        status.getPendingClaims().values().forEach(ns -> counts.merge(ns, 1, Integer::sum));
        status.getReserved().forEach((ns, n) -> counts.merge(ns, n, Integer::sum));
        return counts;
    }

    private static List<String> userIds(CdpEvent event) {
        List<String> ids = new ArrayList<>(1);
        for (Identifier x : event.getIdentifiers()) {
            if (Namespaces.USER_ID.equals(x.getNamespace())) {
                ids.add(x.getValue());
            }
        }
        return ids;
    }

    void reject(String rule, String detail, String messageId, Identifier identifier) {
        rt.metrics.rejected(rule);
        rt.out.rejectedLink(new LinkRejection(rule, detail, messageId, identifier, id));
    }

    void sendToProfile(String profileId, Object body) {
        rt.out.feedback(Commands.feedback(Commands.toProfile(profileId, body)));
    }

    void sendToIdentifier(Identifier x, Object body) {
        rt.out.feedback(Commands.feedback(Commands.toIdentifier(x, body)));
    }
}
