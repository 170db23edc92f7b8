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
import dev.streamingcdp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity rules on the real job: a link that would break a rule is not applied, the event still lands on the profile
 * of its strongest identifier, the rejection goes to the audit topic, and no profile at rest breaks a rule.
 */
class IdentityRulesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BLOCKED_DEVICE = "00000000-0000-0000-0000-000000000000";

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    private static final List<TestPipelines.Input> INPUTS = new ArrayList<>();
    private static Map<String, JsonNode> profiles;
    private static Map<String, Set<String>> audit;
    private static List<ConsumerRecord<byte[], byte[]>> deadLetters;
    private static int seq;

    /** One run of the job over a scenario that tries every rule; each test below checks one rule. */
    @BeforeAll
    static void runTheJob(@TempDir Path checkpoints, @TempDir Path rulesDir) throws Exception {
        Files.writeString(rulesDir.resolve(IdentityRules.FILE), """
                namespaces:
                  - name: user_id
                    unique: true
                  - name: email
                    limit: 2
                  - name: device_id
                    anonymous: true
                    blocked: ["%s"]
                  - name: anonymous_id
                    anonymous: true
                sharedDeviceGuard:
                  namespaces: [device_id]
                  maxUserIds: 2
                """.formatted(BLOCKED_DEVICE));
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "rules", checkpoints);
        KAFKA.createTopics(job);
        String topic = job.topics().events().get(0).name();
        // unique: a second customer logs in on the same browser
        send(topic, "unique-1", e -> e.put("userId", "u1").put("anonymousId", "c1"));
        send(topic, "unique-2", e -> e.put("userId", "u2").put("anonymousId", "c1"));
        // limit: a third e-mail for one customer
        for (String email : List.of("a", "b", "c")) {
            send(topic, "limit-" + email, e -> e.put("userId", "u3").putObject("traits").put("email", email + "@x.com"));
        }
        // blocked: the all-zero device id links nothing; alone, it leaves the event with no identifier
        send(topic, "blocked-1", e -> e.put("userId", "u4").putObject("context").putObject("device")
                .put("id", BLOCKED_DEVICE));
        send(topic, "blocked-2", e -> e.putObject("context").putObject("device").put("id", BLOCKED_DEVICE));
        // shared device: a kiosk used by three customers
        for (String user : List.of("u5", "u6", "u7")) {
            send(topic, "kiosk-" + user, e -> e.put("userId", user).putObject("context").putObject("device")
                    .put("id", "kiosk"));
        }

        JobClient client = TestPipelines.start(job, IdentityRules.load(rulesDir));
        try {
            TestPipelines.produce(KAFKA.bootstrapServers(), INPUTS);
            // Which of two competing links wins depends on arrival order; that seven profiles hold all nine
            // events with an identifier does not.
            profiles = ProfileTopic.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                    p -> p.size() == 7 && totalEvents(p) == 9 && settled(p), Duration.ofSeconds(60));
            // A rejected merge is reported when the offer is answered, which may be after the profiles settled.
            audit = rules(TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().identityAudit(),
                    r -> allReported(rules(r)), Duration.ofSeconds(30)));
            deadLetters = TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().deadLetter(),
                    r -> !r.isEmpty(), Duration.ofSeconds(30));
        } finally {
            client.cancel().get();
        }
    }

    @Test
    void everyEventWithAnIdentifierLandsOnItsStrongestIdentifiersProfile() {
        assertThat(profiles.keySet()).containsExactlyInAnyOrderElementsOf(
                List.of("u1", "u2", "u3", "u4", "u5", "u6", "u7").stream().map(IdentityRulesIT::pid).toList());
        assertThat(totalEvents(profiles)).isEqualTo(9);
    }

    @Test
    void unique_aCookieSeenWithTwoCustomersStaysWithOneAndTheOtherLinkIsReported() {
        assertThat(owners("anonymous_id:c1")).hasSize(1).isSubsetOf(pid("u1"), pid("u2"));
        profiles.values().forEach(p -> assertThat(count(p, "user_id")).as("%s", p).isEqualTo(1));
        assertThat(audit.get("unique")).containsAnyOf("unique-1", "unique-2");
    }

    @Test
    void limit_aThirdEmailIsNotLinkedAndIsReported() {
        JsonNode u3 = profiles.get(pid("u3"));
        assertThat(count(u3, "email")).isEqualTo(2);
        String rejected = List.of("a", "b", "c").stream()
                .filter(x -> !u3.get("identifiers").toString().contains(x + "@x.com")).findFirst().orElseThrow();
        assertThat(audit.get("limit")).contains("limit-" + rejected);
        profiles.values().forEach(p -> assertThat(count(p, "email")).isLessThanOrEqualTo(2));
    }

    @Test
    void blocked_anAllZeroDeviceIdNeverLinksAndAloneIsADeadLetter() throws Exception {
        profiles.values().forEach(p -> assertThat(p.get("identifiers").toString()).doesNotContain(BLOCKED_DEVICE));
        assertThat(profiles.get(pid("u4")).get("identifiers")).hasSize(1);
        // blocked-2 carries only the blocked id: one outcome, a dead letter from ingest, not also an audit record
        assertThat(audit.get("blocked")).contains("blocked-1").doesNotContain("blocked-2");
        assertThat(deadLetters).singleElement().satisfies(r -> assertThat(
                JSON.readTree(r.value()).get("detail").asText()).contains("blocked"));
    }

    @Test
    void sharedDevice_aKioskSeenWithTooManyCustomersStopsLinking() {
        assertThat(owners("device_id:kiosk")).hasSize(1);
        assertThat(audit.get("shared_device")).hasSize(1);
    }

    private static String send(String topic, String messageId, java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode e = JSON.createObjectNode().put("type", "identify").put("messageId", messageId)
                .put("timestamp", Instant.parse("2026-11-23T10:00:00Z").plusSeconds(seq++).toString());
        fill.accept(e);
        // one partition key: the rules' outcome depends on order, and this test fixes the order
        INPUTS.add(new TestPipelines.Input(topic, "one", e.toString().getBytes(StandardCharsets.UTF_8)));
        return messageId;
    }

    private static String pid(String userId) {
        return ProfileId.of(new Identifier("user_id", userId));
    }

    private static boolean allReported(Map<String, Set<String>> byRule) {
        Set<String> unique = byRule.getOrDefault("unique", Set.of());
        return (unique.contains("unique-1") || unique.contains("unique-2"))
                && !byRule.getOrDefault("limit", Set.of()).isEmpty()
                && byRule.getOrDefault("blocked", Set.of()).contains("blocked-1")
                && !byRule.getOrDefault("shared_device", Set.of()).isEmpty();
    }

    /** At rest: the contested identifiers have found their one owner, and u3 holds two e-mails. */
    private static boolean settled(Map<String, JsonNode> p) {
        return ownersIn(p, "anonymous_id:c1").size() == 1 && ownersIn(p, "device_id:kiosk").size() == 1
                && p.containsKey(pid("u3")) && count(p.get(pid("u3")), "email") == 2;
    }

    private static Set<String> owners(String identifier) {
        return ownersIn(profiles, identifier);
    }

    private static Set<String> ownersIn(Map<String, JsonNode> p, String identifier) {
        Set<String> owners = new TreeSet<>();
        p.forEach((id, profile) -> profile.get("identifiers").forEach(i -> {
            if ((i.get("namespace").asText() + ":" + i.get("value").asText()).equals(identifier)) {
                owners.add(id);
            }
        }));
        return owners;
    }

    private static long totalEvents(Map<String, JsonNode> profiles) {
        long total = 0;
        for (JsonNode p : profiles.values()) {
            for (JsonNode n : p.get("eventCounts")) {
                total += n.asLong();
            }
        }
        return total;
    }

    private static long count(JsonNode profile, String namespace) {
        long n = 0;
        for (JsonNode i : profile.get("identifiers")) {
            n += i.get("namespace").asText().equals(namespace) ? 1 : 0;
        }
        return n;
    }

    private static Map<String, Set<String>> rules(List<ConsumerRecord<byte[], byte[]>> audit) {
        Map<String, Set<String>> byRule = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : audit) {
            try {
                JsonNode j = JSON.readTree(r.value());
                byRule.computeIfAbsent(j.get("rule").asText(), k -> new TreeSet<>()).add(j.get("messageId").asText());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return byRule;
    }
}
