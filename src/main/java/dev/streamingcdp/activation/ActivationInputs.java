package dev.streamingcdp.activation;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.activation.avro.MemberOf;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.segment.ActiveSegments;
import dev.streamingcdp.segment.SegmentDefinition;
import dev.streamingcdp.segment.avro.SegmentState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds what the profile operator tells activation after a change. */
public final class ActivationInputs {

    private ActivationInputs() {}

    /**
     * {@code claimed}: identifiers ("namespace:value") her events carried that the identity operator has not
     * confirmed yet; a destination should get them with the change they arrived with. {@code gone}: the profile
     * was merged away or removed, so every destination must forget her. {@code triggeredAt}: the Kafka timestamp of
     * the input event that caused the change, null when none did (a timer, a definition pushed, a merge, a removal).
     */
    public static ActivationInput of(String profileId, ProfileState profile, SegmentState memberships,
            ActiveSegments active, List<SegmentChange> changes, Collection<String> claimed, long occurredAt,
            Long triggeredAt, boolean gone) {
        Map<String, MemberOf> members = new HashMap<>();
        if (!gone) {
            memberships.getMemberships().forEach((id, m) -> {
                if (m.getMember()) {
                    List<String> destinations = active.segment(id).map(SegmentDefinition::destinations)
                            .orElse(List.of());
                    members.put(id, new MemberOf(m.getVersion(), new ArrayList<>(destinations)));
                }
            });
        }
        Map<String, Boolean> consent = new HashMap<>();
        profile.getConsent().forEach((purpose, c) -> consent.put(purpose, c.getGranted()));
        List<Identifier> identifiers = new ArrayList<>(profile.getIdentifiers().values());
        for (String key : claimed) {
            int colon = key.indexOf(':');
            if (colon > 0 && !profile.getIdentifiers().containsKey(key)) {
                identifiers.add(new Identifier(key.substring(0, colon), key.substring(colon + 1)));
            }
        }
        return new ActivationInput(profileId, occurredAt, new ArrayList<>(changes), members, consent, identifiers,
                gone, false, null, triggeredAt);
    }

    /**
     * The profile was erased (GDPR): every destination that ever got her must be told so, with her identifiers as
     * it receives them, and then activation forgets her. No latency is measured: a privacy request is no event.
     */
    public static ActivationInput erased(String profileId, Collection<Identifier> identifiers,
            List<SegmentChange> changes, long occurredAt, String requestId) {
        return new ActivationInput(profileId, occurredAt, new ArrayList<>(changes), new HashMap<>(), new HashMap<>(),
                new ArrayList<>(identifiers), true, true, requestId, null);
    }

    /** The consent a profile stated, purpose -> granted: a change of it is worth telling activation. */
    public static Map<String, Boolean> consent(ProfileState profile) {
        Map<String, Boolean> consent = new HashMap<>();
        if (profile != null) {
            profile.getConsent().forEach((purpose, c) -> consent.put(purpose, c.getGranted()));
        }
        return consent;
    }
}
