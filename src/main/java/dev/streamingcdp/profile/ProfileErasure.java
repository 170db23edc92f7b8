package dev.streamingcdp.profile;

import dev.streamingcdp.activation.ActivationInputs;
import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.EraseProfile;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.MergeStatus;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.ingest.RejectReason;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.privacy.AfterErasure;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import dev.streamingcdp.segment.Memberships;
import dev.streamingcdp.segment.avro.SegmentState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * GDPR erasure of one profile id: she exits her segments, activation tells every destination that had her, the
 * profile topic gets a tombstone, her identity nodes and the profiles she absorbed are erased in turn, her
 * identifiers' hashes go to the suppression list, and all state of the id is cleared. Only a marker without personal
 * data stays for {@code privacy.erasureGrace}, so messages still in flight to her ({@link AfterErasure}) cannot
 * re-create her.
 */
final class ProfileErasure {

    private final ProfileStep step;

    ProfileErasure(ProfileStep step) {
        this.step = step;
    }

    /**
     * Erases this profile id: a profile, a pointer left by a merge, or nothing yet (then only the marker). What it
     * knows is erased in turn: its identifiers' nodes (and their hashes suppressed), the profiles it absorbed or
     * was absorbed into, and the ids its identifiers would anchor (so nothing in flight starts her anew there).
     */
    void erase(EraseProfile e) {
        ProfileRuntime rt = step.rt;
        MergeStatus status = step.status;
        String id = step.id;
        boolean known = step.profile != null || status.getMergedInto() != null;
        Set<Identifier> own = new LinkedHashSet<>();
        Set<String> next = new TreeSet<>();
        if (step.profile != null) {
            own.addAll(step.profile.getIdentifiers().values());
            next.addAll(step.profile.getAbsorbed());
        }
        status.getPendingClaims().keySet().forEach(k -> own.add(AfterErasure.identifierOfKey(k)));
        own.forEach(x -> next.add(ProfileId.of(x)));
        if (status.getMergedInto() != null) {
            next.add(status.getMergedInto());
        }
        next.remove(id);
        Map<String, Integer> counts = step.committedCounts();
        Set<Identifier> all = new LinkedHashSet<>(own);
        all.addAll(e.getIdentifiers());
        SegmentState s = step.segments.memberships();
        if (known) {
            List<SegmentChange> exits = Memberships.exitAll(id, s, rt.active, e.getRequestedAt(),
                    Memberships.Trigger.ERASED, Map.of("requestId", e.getRequestId()));
            exits.forEach(c -> rt.out.segmentChange(rt.metrics.counted(c)));
            rt.out.activation(ActivationInputs.erased(id, all, exits, e.getRequestedAt(), e.getRequestId()));
            rt.out.update(new ProfileUpdate(id, null, null, Map.of()));
            rt.metrics.erased.inc();
        }
        for (Identifier x : own) {
            step.sendToIdentifier(x, new ForgetIdentifier(id, true));
        }
        if (!own.isEmpty()) {
            rt.out.feedback(Commands.feedback(rt.suppressions.add(e.getRequestId(), e.getRequestedAt(), own)));
        }
        for (String other : next) {
            step.sendToProfile(other, new EraseProfile(e.getRequestId(), e.getRequestedAt(), new ArrayList<>(all)));
        }
        if (status.getExpiresAt() != 0) {
            rt.timers.deleteProcessingTimeTimer(status.getExpiresAt());
        }
        if (s.getTimerAt() != 0) {
            rt.timers.deleteEventTimeTimer(s.getTimerAt());
        }
        step.erasure = new ErasureMarker(e.getRequestId(), e.getRequestedAt(),
                rt.now() + rt.suppressions.erasureGraceMillis(), counts);
        step.profile = null;
        // what waited for this profile's offer is treated as arriving after the erasure (offers get an answer)
        Outputs after = new Outputs(rt, step.erasure);
        for (ProfileCommand waiting : status.getWaiting()) {
            AfterErasure.handle(id, step.erasure, waiting.getBody(), after);
        }
    }

    /** What an erased profile id sends while messages in flight still reach it. */
    static final class Outputs implements AfterErasure.Outputs {
        private final ProfileRuntime rt;
        private final ErasureMarker marker;

        Outputs(ProfileRuntime rt, ErasureMarker marker) {
            this.rt = rt;
            this.marker = marker;
        }

        @Override
        public void toIdentifier(Identifier x, Object body) {
            rt.out.feedback(Commands.feedback(Commands.toIdentifier(x, body)));
        }

        @Override
        public void toProfile(String profileId, Object body) {
            rt.out.feedback(Commands.feedback(Commands.toProfile(profileId, body)));
        }

        @Override
        public void suppress(Collection<Identifier> identifiers) {
            rt.out.feedback(Commands.feedback(
                    rt.suppressions.add(marker.getRequestId(), marker.getRequestedAt(), identifiers)));
        }

        @Override
        public Optional<IdentityRules.Violation> violation(Map<String, Integer> counts) {
            return rt.rules.violation(counts);
        }

        @Override
        public void deadLetter(CdpEvent event) {
            rt.metrics.droppedAfterErasure.inc();
            rt.out.deadLetter(new DeadLetter(RejectReason.SUPPRESSED.code(),
                    "reached an erased profile while in flight (request " + marker.getRequestId()
                            + "); payload withheld", event.getSource(), ByteBuffer.allocate(0)));
        }
    }
}
