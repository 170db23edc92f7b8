package dev.streamingcdp.profile;
// STUB: replaced by the profile-logic branch
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.model.*;
import java.time.Instant;
import java.util.*;
public class ProfileLogic implements java.io.Serializable {
    public ProfileLogic(JobDefinition.Profiles settings) {}
    public static ProfileState create(String profileId, Identifier label, Instant at) {
        return ProfileState.newBuilder().setProfileId(profileId).setLabel(label).setIdentifiers(new HashMap<>())
                .setTraits(new HashMap<>()).setConsent(new HashMap<>()).setFirstSeen(at).setLastSeen(at)
                .setEventCounts(new HashMap<>()).setAbsorbed(new ArrayList<>()).build();
    }
    public boolean apply(ProfileState s, CdpEvent e) { s.getEventCounts().merge(e.getType(), 1L, Long::sum); return true; }
    public boolean absorb(ProfileState s, ProfileState a) {
        if (s.getAbsorbed().contains(a.getProfileId())) return false;
        a.getEventCounts().forEach((k, v) -> s.getEventCounts().merge(k, v, Long::sum));
        s.getIdentifiers().putAll(a.getIdentifiers());
        s.getAbsorbed().add(a.getProfileId()); s.getAbsorbed().addAll(a.getAbsorbed());
        return true;
    }
    public static Map<String, Integer> namespaceCounts(ProfileState s) {
        Map<String, Integer> m = new HashMap<>();
        s.getIdentifiers().values().forEach(i -> m.merge(i.getNamespace(), 1, Integer::sum));
        return m;
    }
    public static String key(Identifier id) { return id.getNamespace() + ":" + id.getValue(); }
}
