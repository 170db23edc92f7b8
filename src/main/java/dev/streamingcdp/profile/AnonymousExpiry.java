package dev.streamingcdp.profile;

import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.MergeStatus;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.segment.Memberships;
import java.util.Map;

/** Profiles with only anonymous identifiers, unseen for {@code profiles.anonymousTtl}, are removed. */
final class AnonymousExpiry {

    private final ProfileStep step;
    private final MergeStatus status;

    AnonymousExpiry(ProfileStep step) {
        this.step = step;
        this.status = step.status;
    }

    /** After an event: a processing-time timer, unless one is pending (it re-checks when it fires). */
    void schedule() {
        if (status.getExpiresAt() == 0 && anonymousOnly()) {
            long at = status.getLastTouched() + step.rt.anonymousTtlMillis;
            status.setExpiresAt(at);
            step.rt.timers.registerProcessingTimeTimer(at);
        }
    }

    void expire(long now) {
        ProfileRuntime rt = step.rt;
        status.setExpiresAt(0);
        if (step.profile == null || status.getMergedInto() != null || !anonymousOnly()) {
            return;
        }
        long due = status.getLastTouched() + rt.anonymousTtlMillis;
        boolean busy = status.getOfferedTo() != null || !status.getPendingClaims().isEmpty()
                || !status.getReserved().isEmpty();
        if (now < due || busy) {
            status.setExpiresAt(Math.max(due, now + 60_000));
            rt.timers.registerProcessingTimeTimer(status.getExpiresAt());
            return;
        }
        for (Identifier x : step.profile.getIdentifiers().values()) {
            step.sendToIdentifier(x, new ForgetIdentifier(step.id, false));
        }
        rt.metrics.removed.inc();
        rt.out.update(new ProfileUpdate(step.id, null, null, Map.of()));
        step.segments.exitAll(Memberships.Trigger.PROFILE_REMOVED, Map.of());
        step.profile = null;
        status.setLastTouched(0);
        step.profileChanged = true;
    }

    private boolean anonymousOnly() {
        for (Identifier x : step.profile.getIdentifiers().values()) {
            if (!step.rt.rules.anonymous(x.getNamespace())) {
                return false;
            }
        }
        return true;
    }
}
