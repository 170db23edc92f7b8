package dev.streamingcdp.privacy;

import dev.streamingcdp.identity.IdentityFunction;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.Absorb;
import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.ClaimGranted;
import dev.streamingcdp.identity.avro.EraseProfile;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.MergeAnswer;
import dev.streamingcdp.identity.avro.MergeOffer;
import dev.streamingcdp.identity.avro.MergeProposal;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import dev.streamingcdp.profile.ProfileId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an erased profile id does, for {@code privacy.erasureGrace}, with messages that were already on their way to
 * it: none may re-create her. An event is dropped to the DLQ ({@code suppressed}) and every identity node that
 * still routes to the erased id lets go; a granted claim is handed back; an accepted offer of hers, or a profile
 * already moving into her, is part of her and is erased in turn. A profile linked to her meanwhile (an offer to merge
 * into her, a proposal that she merge into it, a conflict over an identifier she claimed) is erased too if the
 * identity rules would have let it merge with her, judged by her namespace counts in the marker: an offer is
 * answered {@link IdentityFunction#ERASED} (its sender erases itself), and the other two get an offer from her
 * counts, whose acceptance erases the acceptor. A repeated erasure changes nothing.
 */
public final class AfterErasure {

    /** The profile operator's outputs, as this decision needs them. */
    public interface Outputs {
        void toIdentifier(Identifier x, Object body);

        void toProfile(String profileId, Object body);

        /** Adds the identifiers to the suppression list, as the erasure's request. */
        void suppress(Collection<Identifier> identifiers);

        /** Whether a profile with these namespace counts breaks an identity rule. */
        Optional<IdentityRules.Violation> violation(Map<String, Integer> counts);

        /** The event goes to the DLQ as suppressed, without its payload. */
        void deadLetter(CdpEvent event);
    }

    private AfterErasure() {}

    public static void handle(String profileId, ErasureMarker marker, Object body, Outputs out) {
        if (body instanceof EventAtProfile e) {
            out.deadLetter(e.getEvent());
            // only nodes that (again) point here let go: the event may carry someone else's shared identifier
            for (Identifier x : e.getEvent().getIdentifiers()) {
                out.toIdentifier(x, new ForgetIdentifier(profileId, false));
            }
        } else if (body instanceof ClaimGranted g) {
            out.toIdentifier(g.getIdentifier(), new ForgetIdentifier(profileId, false));
        } else if (body instanceof MergeOffer o) {
            Map<String, Integer> combined = new HashMap<>(marker.getNamespaceCounts());
            o.getNamespaceCounts().forEach((ns, n) -> combined.merge(ns, n, Integer::sum));
            Optional<IdentityRules.Violation> v = out.violation(combined);
            out.toProfile(o.getFromId(), v.isPresent()
                    ? new MergeAnswer(profileId, o.getToLabel(), false, v.get().rule(), v.get().detail())
                    : new MergeAnswer(profileId, o.getToLabel(), false, IdentityFunction.ERASED, profileId));
        } else if (body instanceof MergeProposal p) {
            offerHerCounts(profileId, marker, p.getSurvivorId(), p.getSurvivorLabel(), p.getMessageId(), out);
        } else if (body instanceof ClaimConflict c) {
            offerHerCounts(profileId, marker, c.getOtherProfileId(), c.getOtherLabel(), c.getMessageId(), out);
        } else if (body instanceof MergeAnswer a && a.getAccepted()) {
            out.toProfile(a.getSurvivorId(), erase(marker, List.of()));
        } else if (body instanceof Absorb a) {
            absorbed(profileId, marker, a, out);
        }
    }

    /**
     * Offers the erased profile to {@code to} as a merge would (the marker keeps no label: the offer names the
     * receiver's own): if its rules accept her counts, its acceptance reaches the marker and erases it.
     */
    private static void offerHerCounts(String profileId, ErasureMarker marker, String to, Identifier toLabel,
            String messageId, Outputs out) {
        if (to.equals(profileId)) {
            return;
        }
        out.toProfile(to, new MergeOffer(profileId, toLabel, toLabel, new HashMap<>(marker.getNamespaceCounts()),
                messageId));
    }

    /** Identifier key (namespace:value; namespaces have no colon) back to the identifier. */
    public static Identifier identifierOfKey(String key) {
        int colon = key.indexOf(':');
        return new Identifier(key.substring(0, colon), key.substring(colon + 1));
    }

    public static EraseProfile erase(ErasureMarker marker, Collection<Identifier> identifiers) {
        return new EraseProfile(marker.getRequestId(), marker.getRequestedAt(), new ArrayList<>(identifiers));
    }

    /** A profile merging into her arrived after her erasure: what it brought is hers, and goes too. */
    private static void absorbed(String profileId, ErasureMarker marker, Absorb a, Outputs out) {
        Set<Identifier> ids = new LinkedHashSet<>();
        Set<String> next = new TreeSet<>();
        next.add(a.getFromId());
        if (a.getState() != null) {
            ids.addAll(a.getState().getIdentifiers().values());
            next.addAll(a.getState().getAbsorbed());
        }
        a.getPendingClaims().keySet().forEach(k -> ids.add(identifierOfKey(k)));
        for (Identifier x : ids) {
            out.toIdentifier(x, new ForgetIdentifier(profileId, true));
            next.add(ProfileId.of(x));
        }
        if (!ids.isEmpty()) {
            out.suppress(ids);
        }
        next.remove(profileId);
        for (String other : next) {
            out.toProfile(other, erase(marker, ids));
        }
    }
}
