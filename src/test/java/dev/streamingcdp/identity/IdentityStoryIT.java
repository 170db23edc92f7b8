package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.ProfileTopic;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed story: a login links a cookie to a customer id; a CRM update for the customer and an anonymous page view
 * on the cookie then land on one profile that carries both — whichever order the events arrive in.
 */
class IdentityStoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @ParameterizedTest(name = "page view before the login: {0}")
    @ValueSource(booleans = {false, true})
    void crmUpdateAndAnonymousVisitLandOnOneProfile(boolean pageViewFirst) throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "story" + pageViewFirst, checkpoints);
        KAFKA.createTopics(job);
        String topic = job.topics().events().get(0).name();

        ObjectNode login = event("identify", "m-login", "2026-11-23T09:00:00Z").put("userId", "cust-42")
                .put("anonymousId", "cookie-7");
        login.putObject("traits").put("email", "Jane@Example.com");
        ObjectNode crm = event("identify", "m-crm", "2026-11-23T10:00:00Z").put("userId", "cust-42")
                .put("channel", "crm");
        crm.putObject("traits").put("intent_to_cancel", true).put("phone", "+1 415 555 2671");
        ObjectNode page = event("page", "m-page", "2026-11-23T11:00:00Z").put("anonymousId", "cookie-7")
                .put("name", "Pricing");
        List<ObjectNode> order = pageViewFirst ? List.of(page, login, crm) : List.of(login, crm, page);

        JobClient client = TestPipelines.start(job, IdentityRules.load(Path.of("jobs/retail-demo")));
        try {
            List<TestPipelines.Input> inputs = new ArrayList<>();
            for (ObjectNode e : order) {
                inputs.add(new TestPipelines.Input(topic, "k", e.toString().getBytes(StandardCharsets.UTF_8)));
            }
            TestPipelines.produce(KAFKA.bootstrapServers(), inputs);

            String expectedId = ProfileId.of(new Identifier("user_id", "cust-42"));
            Map<String, JsonNode> profiles = ProfileTopic.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                    p -> p.size() == 1 && p.containsKey(expectedId)
                            && p.get(expectedId).at("/eventCounts/page").asInt() == 1
                            && p.get(expectedId).at("/eventCounts/identify").asInt() == 2
                            && p.get(expectedId).get("identifiers").size() == 4,
                    Duration.ofSeconds(60));

            assertThat(profiles).containsOnlyKeys(expectedId);
            JsonNode her = profiles.get(expectedId);
            assertThat(her.get("identifiers").toString())
                    .contains("{\"namespace\":\"user_id\",\"value\":\"cust-42\"}")
                    .contains("{\"namespace\":\"anonymous_id\",\"value\":\"cookie-7\"}")
                    .contains("{\"namespace\":\"email\",\"value\":\"jane@example.com\"}")
                    .contains("{\"namespace\":\"phone\",\"value\":\"+14155552671\"}");
            assertThat(her.at("/traits/intent_to_cancel").asBoolean()).isTrue();
            assertThat(her.at("/eventCounts/page").asInt()).isEqualTo(1);
            assertThat(her.at("/eventCounts/identify").asInt()).isEqualTo(2);
            assertThat(her.at("/label/value").asText()).isEqualTo("cust-42");
        } finally {
            client.cancel().get();
        }
    }

    private static ObjectNode event(String type, String messageId, String timestamp) {
        return JSON.createObjectNode().put("type", type).put("messageId", messageId).put("timestamp", timestamp)
                .put("channel", "browser");
    }
}
