package dev.streamingcdp.profile;

import dev.streamingcdp.identity.avro.MergeStatus;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import dev.streamingcdp.segment.avro.SegmentState;

/**
 * One profile id's working set in the profile operator's cache: what its four keyed states hold, read once when the
 * id is first touched, changed in place by every command, and written back only when the operator flushes (before a
 * checkpoint barrier, on eviction). {@link #memberships} is read lazily: many commands
 * (claims, merge steps) never need it.
 */
final class ProfileEntry {

    ProfileState profile;
    MergeStatus status;
    /** Null until read. */
    SegmentState memberships;
    /** Non-null while the id is erased: nothing else is kept. */
    ErasureMarker erasure;

    boolean profileDirty;
    boolean statusDirty;
    boolean membershipsDirty;
    boolean erasureDirty;
    /** A profile snapshot is owed to the profile topic: emitted once when the entry is flushed. */
    boolean snapshotOwed;
    /** The watermark when the owed snapshot's change was made: its computed traits are those of that moment. */
    long snapshotWatermark;

    ProfileEntry(ProfileState profile, MergeStatus status, ErasureMarker erasure) {
        this.profile = profile;
        this.status = status != null ? status : MergeStatus.newBuilder().build();
        this.erasure = erasure;
    }

    boolean dirty() {
        return profileDirty || statusDirty || membershipsDirty || erasureDirty || snapshotOwed;
    }

    void clean() {
        profileDirty = statusDirty = membershipsDirty = erasureDirty = snapshotOwed = false;
    }

    /** The bookkeeping of a profile that never merged, offered or claimed anything needs no state entry. */
    static boolean isDefault(MergeStatus s) {
        return s.getMergedInto() == null && s.getOfferedTo() == null && s.getPendingClaims().isEmpty()
                && s.getReserved().isEmpty() && s.getWaiting().isEmpty() && s.getLastTouched() == 0
                && s.getExpiresAt() == 0;
    }
}
