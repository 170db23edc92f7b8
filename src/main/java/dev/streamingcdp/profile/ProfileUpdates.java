package dev.streamingcdp.profile;

import dev.streamingcdp.model.ProfileUpdate;

/** A profile update as the compacted profile topic carries it: snapshot, merge announcement, or tombstone. */
public final class ProfileUpdates {

    private ProfileUpdates() {}

    public static byte[] key(ProfileUpdate u) {
        return ProfileJson.key(u.getProfileId());
    }

    /** Null (a tombstone) when the profile was removed. */
    public static byte[] value(ProfileUpdate u) {
        if (u.getState() != null) {
            return ProfileJson.snapshot(u.getState(), u.getComputedTraits());
        }
        return u.getMergedInto() != null ? ProfileJson.merged(u.getProfileId(), u.getMergedInto()) : null;
    }
}
