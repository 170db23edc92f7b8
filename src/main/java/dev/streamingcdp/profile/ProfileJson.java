package dev.streamingcdp.profile;
// STUB
import dev.streamingcdp.model.ProfileState;
public final class ProfileJson {
    public static byte[] snapshot(ProfileState s) { return s.toString().getBytes(); }
    public static byte[] merged(String a, String s) { return ("{\"type\":\"profile.merged\",\"profileId\":\"" + a + "\",\"survivorId\":\"" + s + "\"}").getBytes(); }
    public static byte[] key(String id) { return id.getBytes(); }
}
