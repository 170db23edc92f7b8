package dev.streamingcdp.profile;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.ConsentValue;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.TraitValue;
import java.io.IOException;
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
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "profile.snapshot");
            json.writeStringField("profileId", s.getProfileId());
            json.writeFieldName("label");
            identifier(json, s.getLabel());
            json.writeArrayFieldStart("identifiers");
            for (Identifier id : s.getIdentifiers().values().stream().sorted(BY_NAMESPACE_THEN_VALUE).toList()) {
                identifier(json, id);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("traits");
            for (Map.Entry<String, TraitValue> t : new TreeMap<>(s.getTraits()).entrySet()) {
                json.writeObjectField(t.getKey(), t.getValue().getValue());
            }
            json.writeEndObject();
            json.writeObjectField("computedTraits", new TreeMap<>(computedTraits));
            json.writeObjectFieldStart("consent");
            for (Map.Entry<String, ConsentValue> c : new TreeMap<>(s.getConsent()).entrySet()) {
                json.writeBooleanField(c.getKey(), c.getValue().getGranted());
            }
            json.writeEndObject();
            json.writeStringField("firstSeen", s.getFirstSeen().toString());
            json.writeStringField("lastSeen", s.getLastSeen().toString());
            json.writeObjectField("eventCounts", new TreeMap<>(s.getEventCounts()));
            json.writeArrayFieldStart("absorbed");
            for (String id : s.getAbsorbed().stream().sorted().toList()) {
                json.writeString(id);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void identifier(JsonGenerator json, Identifier id) throws IOException {
        json.writeStartObject();
        json.writeStringField("namespace", id.getNamespace());
        json.writeStringField("value", id.getValue());
        json.writeEndObject();
    }

    /** Tells consumers that {@code absorbedId} is now part of {@code survivorId} (published under absorbedId). */
    public static byte[] merged(String absorbedId, String survivorId) {
        return Json.bytes(Json.object()
                .put("type", "profile.merged")
                .put("profileId", absorbedId)
                .put("survivorId", survivorId));
    }
}
