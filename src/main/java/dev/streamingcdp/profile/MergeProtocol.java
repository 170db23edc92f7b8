package dev.streamingcdp.profile;

import dev.streamingcdp.identity.IdentityFunction;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.Absorb;
import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.ClaimGranted;
import dev.streamingcdp.identity.avro.ClaimRejected;
import dev.streamingcdp.identity.avro.EraseProfile;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.MergeAnswer;
import dev.streamingcdp.identity.avro.MergeOffer;
import dev.streamingcdp.identity.avro.MergeProposal;
import dev.streamingcdp.identity.avro.MergeStatus;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.identity.avro.RelabelIdentifier;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.segment.Memberships;
import dev.streamingcdp.segment.ProfileSegments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The profile's side of a merge. A merge always folds the profile with the weaker label into the one with the
 * stronger label: proposal (to the weaker) ► offer (to the stronger, which checks the identity rules) ► answer ►
 * absorb (the whole state moves; the weaker one keeps only a pointer and forwards whatever still reaches it). While
 * its offer is out, a profile defers events and merge steps, so what it offered is exactly what it moves. Because
 * labels only get stronger, forwarding chains end, and the survivor of a component is its strongest identifier's
 * profile.
 */
final class MergeProtocol {

    private final ProfileStep step;
    private final MergeStatus status;
    private final IdentityRules rules;

    MergeProtocol(ProfileStep step) {
        this.step = step;
        this.status = step.status;
        this.rules = step.rt.rules;
    }

    void onConflict(ClaimConflict c) {
        status.getPendingClaims().remove(ProfileLogic.key(c.getIdentifier()));
        if (step.profile == null || c.getOtherProfileId().equals(step.id)) {
            return;
        }
        onProposal(new MergeProposal(c.getOtherProfileId(), c.getOtherLabel(), c.getMessageId()));
    }

    /** Someone linked this profile with another: the weaker of the two offers itself to the stronger. */
    void onProposal(MergeProposal p) {
        if (p.getSurvivorId().equals(step.id)) {
            return;
        }
        if (step.profile == null) { // nothing to move: just point onwards
            markMerged(p.getSurvivorId(), p.getSurvivorLabel());
            return;
        }
        if (rules.compare(step.profile.getLabel(), p.getSurvivorLabel()) < 0) {
            step.sendToProfile(p.getSurvivorId(), new MergeProposal(step.id, step.profile.getLabel(),
                    p.getMessageId()));
            return;
        }
        status.setOfferedTo(p.getSurvivorId());
        step.sendToProfile(p.getSurvivorId(), new MergeOffer(step.id, step.profile.getLabel(), p.getSurvivorLabel(),
                step.committedCounts(), p.getMessageId()));
    }

    /**
     * A claim met the tombstone of an erased profile: the identifier is hers, so this profile offers itself to her
     * erased id as to a merge, and the marker there judges by the identity rules: {@link IdentityFunction#ERASED}
     * (this profile is erased too), or the rule that keeps them apart (it stays, without that identifier).
     */
    void onClaimOfErased(ClaimRejected r) {
        if (step.profile == null) {
            return; // removed meanwhile: nothing of it is left to judge
        }
        status.setOfferedTo(r.getDetail());
        step.sendToProfile(r.getDetail(), new MergeOffer(step.id, step.profile.getLabel(), step.profile.getLabel(),
                step.committedCounts(), r.getMessageId()));
    }

    /** The stronger profile decides: accepting reserves room for what comes, so later checks see it. */
    void onOffer(MergeOffer o) {
        if (step.profile == null && o.getToLabel().equals(o.getFromLabel())) {
            // Offered to an erased id (it knew no label) whose marker lapsed a hop before the tombstone that sent
            // the offer: still hers, and nothing here can judge the rules, so the offerer goes as if judged.
            step.sendToProfile(o.getFromId(), new MergeAnswer(step.id, o.getToLabel(), false,
                    IdentityFunction.ERASED, step.id));
            return;
        }
        // With no state yet (its first event is still on the way) it is created when the state arrives.
        Identifier label = step.profile != null ? step.profile.getLabel() : o.getToLabel();
        Map<String, Integer> combined = step.committedCounts();
        o.getNamespaceCounts().forEach((ns, n) -> combined.merge(ns, n, Integer::sum));
        Optional<IdentityRules.Violation> violation = rules.violation(combined);
        if (violation.isPresent()) {
            IdentityRules.Violation v = violation.get();
            step.reject(v.rule(), v.detail() + " if " + o.getFromId() + " merged in", o.getMessageId(),
                    o.getFromLabel());
            step.sendToProfile(o.getFromId(), new MergeAnswer(step.id, label, false, v.rule(), v.detail()));
            return;
        }
        o.getNamespaceCounts().forEach((ns, n) -> status.getReserved().merge(ns, n, Integer::sum));
        step.sendToProfile(o.getFromId(), new MergeAnswer(step.id, label, true, null, null));
    }

    void onAnswer(MergeAnswer a) {
        status.setOfferedTo(null);
        if (!a.getAccepted() && IdentityFunction.ERASED.equals(a.getRule())) {
            linkedToErased(a.getDetail());
            return;
        }
        if (step.profile == null) {
            // Not an answer to an offer of ours (only a profile offers): a leftover on the feedback topic from an
            // earlier run, when the job started without state. Nothing to move.
            replayWaiting();
            return;
        }
        if (a.getAccepted()) {
            step.sendToProfile(a.getSurvivorId(), new Absorb(step.id, a.getSurvivorLabel(), step.committedCounts(),
                    step.profile, new HashMap<>(status.getPendingClaims()), new HashMap<>(status.getReserved())));
            for (Identifier x : step.profile.getIdentifiers().values()) {
                step.sendToIdentifier(x, new RelabelIdentifier(a.getSurvivorId(), a.getSurvivorLabel()));
            }
            step.rt.metrics.merges.inc();
            markMerged(a.getSurvivorId(), a.getSurvivorLabel());
        }
        replayWaiting();
    }

    void onAbsorb(Absorb a) {
        if (step.profile == null) {
            step.profile = ProfileLogic.create(step.id, a.getSurvivorLabel(),
                    a.getState() != null ? a.getState().getFirstSeen() : Instant.now());
            step.profile.getIdentifiers().put(ProfileLogic.key(a.getSurvivorLabel()), a.getSurvivorLabel());
            step.rt.metrics.created.inc();
        }
        if (a.getState() != null && !step.rt.logic.absorb(step.profile, a.getState())) {
            return; // already absorbed: a repeated message changes nothing
        }
        a.getOfferedCounts().forEach((ns, n) -> status.getReserved().merge(ns, -n, Integer::sum));
        a.getReserved().forEach((ns, n) -> status.getReserved().merge(ns, n, Integer::sum));
        status.getReserved().values().removeIf(n -> n == 0);
        status.getPendingClaims().putAll(a.getPendingClaims());
        step.profileChanged = true;
        step.segments.evaluate(Memberships.Trigger.MERGE,
                ProfileSegments.clock(step.profile, step.rt.watermark()), null);
    }

    /**
     * An event linked this profile with one that was erased, and the rules would have merged them: what it holds is
     * hers, so it is erased too. No request names it: the request id says why.
     */
    private void linkedToErased(String erasedProfileId) {
        new ProfileErasure(step).erase(new EraseProfile("linked-to-erased:" + erasedProfileId, step.rt.now(),
                new ArrayList<>()));
    }

    void markMerged(String survivorId, Identifier survivorLabel) {
        status.setMergedInto(survivorId);
        status.setMergedIntoLabel(survivorLabel);
        status.getPendingClaims().clear();
        status.getReserved().clear();
        if (step.profile != null || status.getLastTouched() > 0) {
            step.rt.out.update(new ProfileUpdate(step.id, null, survivorId, Map.of()));
        }
        if (step.profile != null) {
            step.segments.exitAll(Memberships.Trigger.PROFILE_MERGED, Map.of("survivorId", survivorId));
        }
        step.profile = null;
        step.profileChanged = true;
    }

    /** A pointer is all that is left of an absorbed profile: everything goes on to the survivor. */
    void forward(ProfileCommand command) {
        Object body = command.getBody();
        String survivor = status.getMergedInto();
        if (body instanceof EventAtProfile e) {
            step.rt.metrics.redirects.inc();
            step.sendToProfile(survivor, new EventAtProfile(e.getEvent(), status.getMergedIntoLabel(),
                    e.getRedirects() + 1));
        } else if (body instanceof MergeProposal p) {
            if (!p.getSurvivorId().equals(survivor)) { // the link now joins our survivor and theirs
                boolean oursStronger = rules.compare(status.getMergedIntoLabel(), p.getSurvivorLabel()) < 0;
                step.sendToProfile(oursStronger ? p.getSurvivorId() : survivor, oursStronger
                        ? new MergeProposal(survivor, status.getMergedIntoLabel(), p.getMessageId())
                        : p);
            }
        } else {
            if (body instanceof ClaimGranted g) { // granted to us before the merge: the survivor owns it now
                step.sendToIdentifier(g.getIdentifier(),
                        new RelabelIdentifier(survivor, status.getMergedIntoLabel()));
            }
            step.sendToProfile(survivor, body);
        }
    }

    private void replayWaiting() {
        List<ProfileCommand> waiting = new ArrayList<>(status.getWaiting());
        status.getWaiting().clear();
        for (ProfileCommand c : waiting) {
            step.handle(c);
        }
    }
}
