package dev.streamingcdp.profile;

import static dev.streamingcdp.profile.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.model.ConsentValue;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.TraitValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void snapshotHasTheDocumentedShape() throws Exception {
        Identifier user = new Identifier("user_id", "u1");
        ProfileState p = ProfileLogic.create("p-1", user, at(0));
        for (Identifier id : List.of(user, new Identifier("email", "b@x.io"), new Identifier("email", "a@x.io"))) {
            p.getIdentifiers().put(ProfileLogic.key(id), id);
        }
        p.getTraits().put("plan", new TraitValue("gold", at(1), "web"));
        p.getTraits().put("age", new TraitValue(41L, at(1), "web"));
        p.getTraits().put("vip", new TraitValue(true, at(1), null));
        p.getTraits().put("gone", new TraitValue(null, at(1), null));
        p.getConsent().put("marketing", new ConsentValue(true, at(1)));
        p.getEventCounts().put("track", 3L);
        p.setLastSeen(at(90));
        p.getAbsorbed().addAll(List.of("p-b", "p-a"));

        JsonNode json = MAPPER.readTree(ProfileJson.snapshot(p));

        assertThat(json.get("type").asText()).isEqualTo("profile.snapshot");
        assertThat(json.get("profileId").asText()).isEqualTo("p-1");
        assertThat(json.get("label")).isEqualTo(MAPPER.readTree("{\"namespace\":\"user_id\",\"value\":\"u1\"}"));
        assertThat(json.get("identifiers")).isEqualTo(MAPPER.readTree("""
                [{"namespace":"email","value":"a@x.io"},{"namespace":"email","value":"b@x.io"},
                 {"namespace":"user_id","value":"u1"}]"""));
        assertThat(json.get("traits")).isEqualTo(
                MAPPER.readTree("{\"age\":41,\"gone\":null,\"plan\":\"gold\",\"vip\":true}"));
        assertThat(json.get("consent")).isEqualTo(MAPPER.readTree("{\"marketing\":true}"));
        assertThat(json.get("firstSeen").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(json.get("lastSeen").asText()).isEqualTo("2025-03-01T10:01:30Z");
        assertThat(json.get("eventCounts")).isEqualTo(MAPPER.readTree("{\"track\":3}"));
        assertThat(json.get("absorbed")).isEqualTo(MAPPER.readTree("[\"p-a\",\"p-b\"]"));
    }

    @Test
    void mergedNamesTheAbsorbedProfileAndItsSurvivor() throws Exception {
        JsonNode json = MAPPER.readTree(ProfileJson.merged("p-old", "p-new"));
        assertThat(json).isEqualTo(MAPPER.readTree(
                "{\"type\":\"profile.merged\",\"profileId\":\"p-old\",\"survivorId\":\"p-new\"}"));
    }

    @Test
    void keyIsTheProfileIdInUtf8() {
        assertThat(ProfileJson.key("p-1")).isEqualTo("p-1".getBytes(StandardCharsets.UTF_8));
    }
}
