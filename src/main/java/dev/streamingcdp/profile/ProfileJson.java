package dev.streamingcdp.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile topic's JSON (key = profile id, so compaction keeps the latest snapshot). Maps and lists are written
 * in sorted order so equal profiles give equal bytes, whatever order their state was built in.
 */
public final class ProfileJson {

    private static final Comparator<Identifier> BY_NAMESPACE_THEN_VALUE =
            Comparator.comparing(Identifier::getNamespace).thenComparing(Identifier::getValue);

    private ProfileJson() {}

    public static byte[] key(String profileId) {
        return profileId.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] snapshot(ProfileState s) {
        return snapshot(s, Map.of());
    }

    /** With the computed traits as of the snapshot (they depend on the clock, so the operator computes them). */
    public static byte[] snapshot(ProfileState s, Map<String, Object> computedTraits) {
        ObjectNode json = Json.object()
                .put("type", "profile.snapshot")
                .put("profileId", s.getProfileId());
        json.putObject("label").put("namespace", s.getLabel().getNamespace()).put("value", s.getLabel().getValue());
        var ids = json.putArray("identifiers");
        s.getIdentifiers().values().stream().sorted(BY_NAMESPACE_THEN_VALUE)
                .forEach(id -> ids.addObject().put("namespace", id.getNamespace()).put("value", id.getValue()));
        var traits = json.putObject("traits");
        new TreeMap<>(s.getTraits()).forEach((name, t) -> traits.set(name, Json.tree(t.getValue())));
        var computed = json.putObject("computedTraits");
        new TreeMap<>(computedTraits).forEach((name, v) -> computed.set(name, Json.tree(v)));
        var consent = json.putObject("consent");
        new TreeMap<>(s.getConsent()).forEach((purpose, c) -> consent.put(purpose, c.getGranted()));
        json.put("firstSeen", s.getFirstSeen().toString())
                .put("lastSeen", s.getLastSeen().toString());
        json.set("eventCounts", Json.tree(new TreeMap<>(s.getEventCounts())));
        var absorbed = json.putArray("absorbed");
        s.getAbsorbed().stream().sorted().forEach(absorbed::add);
        return Json.bytes(json);
    }

    /** Tells consumers that {@code absorbedId} is now part of {@code survivorId} (published under absorbedId). */
    public static byte[] merged(String absorbedId, String survivorId) {
        return Json.bytes(Json.object()
                .put("type", "profile.merged")
                .put("profileId", absorbedId)
                .put("survivorId", survivorId));
    }
}
