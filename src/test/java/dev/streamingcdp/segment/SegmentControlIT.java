package dev.streamingcdp.segment;

import static dev.streamingcdp.segment.StoryEvents.identify;
import static dev.streamingcdp.segment.StoryEvents.profileOf;
import static dev.streamingcdp.segment.StoryEvents.track;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.segment.SegmentChangesTopic.Change;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.ProfileTopic;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment definitions changed while the job runs, through the control topic (JSON keyed by segment id), over
 * profiles that exist already: add (backfill), a new event under the new definition, update (only the differences),
 * bad documents (DLQ, the job goes on), delete by tombstone and by {@code "deleted": true} (every member exits).
 * One job run; every step waits for its outcome, and the end checks the exact changes per (profile, segment).
 */
class SegmentControlIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-10T09:00:00Z");
    private static final String ENTERED = "segment.entered";
    private static final String EXITED = "segment.exited";

    private static final String VIP_V1 = """
            {"id": "vip", "name": "VIP", "version": 1, "destinations": ["email-marketing"],
             "condition": {"trait": "tier", "equals": "gold"}}""";
    private static final String VIP_V2 = """
            {"id": "vip", "name": "VIP", "version": 2, "destinations": ["email-marketing"],
             "condition": {"all": [{"trait": "tier", "in": ["gold", "silver"]},
                                   {"trait": "lifetime_spend", "greaterThan": 500}]}}""";
    private static final String BIG_SPENDER = """
            {"id": "big-spender", "name": "Big spender", "version": 1, "destinations": ["ads-prospecting"],
             "condition": {"any": [{"trait": "lifetime_spend", "greaterThan": 1000},
                                   {"computed": "lifetime_revenue", "greaterThan": 1000}]}}""";

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    private JobDefinition job;

    @Test
    void segmentsAddedChangedAndDeletedAtRunTime() throws Exception {
        job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "control", checkpoints);
        KAFKA.createTopics(job);
        // The backfill of vip v1 must show that both profile subtasks have it before the next event is sent, and
        // the one of big-spender that silver-a's subtask has it: pick ids by where Flink puts their profiles.
        String goldA = userOnSubtask("gold-a", 0);
        String goldB = userOnSubtask("gold-b", 1);
        String silverA = userOnSubtask("silver-a", 0);
        Map<String, Object[]> customers = Map.of(goldA, new Object[] {"gold", 1200}, goldB, new Object[] {"gold", 100},
                silverA, new Object[] {"silver", 800}, "silver-b", new Object[] {"silver", 200},
                "bronze-a", new Object[] {"bronze", 50});
        String gA = profileOf(goldA);
        String gB = profileOf(goldB);
        String sA = profileOf(silverA);
        String sB = profileOf("silver-b");
        String bA = profileOf("bronze-a");
        String gC = profileOf("gold-c");

        JobClient client = TestPipelines.start(job);
        try {
            List<ObjectNode> people = new ArrayList<>();
            customers.forEach((user, t) -> people.add(traits(user, T0, (String) t[0], (Integer) t[1])));
            sendEvents(people.toArray(ObjectNode[]::new));
            Map<String, JsonNode> profiles = ProfileTopic.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                    p -> p.size() == 5 && p.values().stream().allMatch(v -> v.at("/traits/tier").isTextual()), WAIT);
            assertThat(profiles).containsOnlyKeys(gA, gB, sA, sB, bA);

            // Add: the gold ones enter at once, without an event of theirs.
            control("vip", VIP_V1);
            waitFor(changes -> count(changes, "vip", ENTERED) == 2);
            // A new event after the add is evaluated against it: a new gold customer, and an upgrade.
            sendEvents(traits("gold-c", T0.plusSeconds(60), "gold", 900),
                    traits("bronze-a", T0.plusSeconds(60), "gold", 50));
            waitFor(changes -> count(changes, "vip", ENTERED) == 4);

            // Update: gold or silver, and more than 500 spent. Only the differences come out.
            control("vip", VIP_V2);
            List<Change> afterUpdate = waitFor(changes -> count(changes, "vip", ENTERED) == 5
                    && count(changes, "vip", EXITED) == 2);
            Change leaver = SegmentChangesTopic.find(afterUpdate, gB, "vip", EXITED);
            assertThat(leaver.version()).isEqualTo(2);
            assertThat(leaver.fact("tier in").path("held").asBoolean()).isTrue();
            assertThat(leaver.fact("lifetime_spend").path("held").asBoolean()).isFalse();
            assertThat(leaver.fact("lifetime_spend").path("value").asInt()).isEqualTo(100);

            // Bad documents: each to the DLQ with its reason; the running definitions stay.
            control("vip", "{not json");
            control("vip", """
                    {"id": "vip", "name": "VIP", "version": 3, "destinations": ["email-marketing"]}""");
            control("loyal", """
                    {"id": "loyal", "name": "Loyal", "version": 1, "destinations": ["email-marketing"],
                     "condition": {"computed": "orders_365d", "greaterThan": 5}}""");
            control("vip", VIP_V1.replace("\"vip\"", "\"vip-2\""));
            control("vip", VIP_V1.replace("gold", "silver"));
            control("ghost", null);
            control("vip", VIP_V2); // the running definition again: ignored, not an error
            List<JsonNode> dlq = deadLetters(6);
            assertThat(dlq).extracting(d -> d.path("reason").asText()).containsOnly("bad_segment");
            assertThat(dlq).extracting(d -> d.path("detail").asText()).satisfiesExactlyInAnyOrder(
                    d -> assertThat(d).startsWith("not JSON"),
                    d -> assertThat(d).contains("field 'condition': is required"),
                    d -> assertThat(d).contains("unknown computed trait 'orders_365d'"),
                    d -> assertThat(d).contains("id 'vip-2' differs from the record key 'vip'"),
                    d -> assertThat(d).contains("version 1 of 'vip' is not newer than the running version 2"),
                    d -> assertThat(d).contains("there is no segment 'ghost' to delete"));
            assertThat(dlq).allSatisfy(d -> assertThat(d.at("/source/topic").asText())
                    .isEqualTo(job.topics().segmentControl()));

            // The job goes on: a valid addition applies (backfill), and events still flow.
            control("big-spender", BIG_SPENDER);
            waitFor(SegmentChangesTopic.has(gA, "big-spender", ENTERED));
            ObjectNode order = track("silver-a-order", T0.plusSeconds(120), silverA, "Order Completed");
            order.putObject("properties").put("revenue", 2000);
            sendEvents(order);
            Change bought = waitFor(SegmentChangesTopic.has(sA, "big-spender", ENTERED)).stream()
                    .filter(c -> c.profileId().equals(sA) && c.segmentId().equals("big-spender")).findFirst()
                    .orElseThrow();
            assertThat(bought.fact("lifetime_revenue").path("value").asDouble()).isEqualTo(2000.0);

            // Delete: by tombstone, and by "deleted": true. Every member exits.
            control("vip", null);
            control("big-spender", "{\"id\": \"big-spender\", \"deleted\": true}");
            waitFor(changes -> count(changes, "vip", EXITED) == 5 && count(changes, "big-spender", EXITED) == 2);

            List<Change> all = SegmentChangesTopic.readAll(KAFKA.bootstrapServers(), job.topics().segmentChanges(),
                    Duration.ofSeconds(3));
            assertThat(all).allSatisfy(c -> assertThat(c.key()).isEqualTo(c.profileId()));
            assertThat(SegmentChangesTopic.byProfileAndSegment(all, Change::withoutTime)).isEqualTo(Map.of(
                    gA + " vip", List.of("ENTERED#1 v1 definition", "EXITED#2 v2 segment_deleted"),
                    gB + " vip", List.of("ENTERED#1 v1 definition", "EXITED#2 v2 definition"),
                    gC + " vip", List.of("ENTERED#1 v1 event", "EXITED#2 v2 segment_deleted"),
                    bA + " vip", List.of("ENTERED#1 v1 event", "EXITED#2 v2 definition"),
                    sA + " vip", List.of("ENTERED#1 v2 definition", "EXITED#2 v2 segment_deleted"),
                    gA + " big-spender", List.of("ENTERED#1 v1 definition", "EXITED#2 v1 segment_deleted"),
                    sA + " big-spender", List.of("ENTERED#1 v1 event", "EXITED#2 v1 segment_deleted")));
            assertThat(TopicReader.readAll(KAFKA.bootstrapServers(), job.topics().deadLetter(), Duration.ofSeconds(1)))
                    .as("dead letters in the end: the re-sent running definition is none").hasSize(6);
        } finally {
            client.cancel().get();
        }
    }

    /** An identify with the tier and the lifetime spend as traits. */
    private static ObjectNode traits(String user, Instant at, String tier, int spend) {
        ObjectNode e = identify(user + "-" + tier + "-" + at.getEpochSecond(), at, user);
        e.putObject("traits").put("tier", tier).put("lifetime_spend", spend);
        return e;
    }

    /** "{prefix}" or "{prefix}-n": the first whose profile the profile operator (parallelism 2) keeps on subtask. */
    private String userOnSubtask(String prefix, int subtask) {
        int parallelism = job.parallelism();
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
        for (int n = 0; ; n++) {
            String user = n == 0 ? prefix : prefix + "-" + n;
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(profileOf(user), maxParallelism, parallelism)
                    == subtask) {
                return user;
            }
        }
    }

    private void sendEvents(ObjectNode... events) {
        String topic = job.topics().events().get(0).name();
        List<TestPipelines.Input> inputs = new ArrayList<>();
        for (ObjectNode e : events) {
            inputs.add(StoryEvents.input(topic, e));
        }
        TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
    }

    /** One control record: {@code document} null is a tombstone. */
    private void control(String key, String document) {
        TestPipelines.produce(KAFKA.bootstrapServers(), List.of(new TestPipelines.Input(job.topics().segmentControl(),
                key, document == null ? null : document.getBytes(StandardCharsets.UTF_8))));
    }

    private List<Change> waitFor(Predicate<List<Change>> done) {
        List<Change> changes = SegmentChangesTopic.readUntil(KAFKA.bootstrapServers(),
                job.topics().segmentChanges(), done, WAIT);
        assertThat(done).as("segment changes so far: %s", SegmentChangesTopic.byProfileAndSegment(changes,
                Change::withoutTime)).accepts(changes);
        return changes;
    }

    private static long count(List<Change> changes, String segment, String type) {
        return changes.stream().filter(c -> c.segmentId().equals(segment) && c.type().equals(type)).count();
    }

    private List<JsonNode> deadLetters(int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(KAFKA.bootstrapServers(),
                job.topics().deadLetter(), r -> r.size() >= expected, WAIT);
        List<JsonNode> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                letters.add(JSON.readTree(r.value()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(letters).as("dead letters").hasSize(expected);
        return letters;
    }
}
