package dev.streamingcdp.segment;

import static dev.streamingcdp.segment.StoryEvents.identify;
import static dev.streamingcdp.segment.StoryEvents.page;
import static dev.streamingcdp.segment.StoryEvents.profileOf;
import static dev.streamingcdp.segment.StoryEvents.track;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.SegmentChangesTopic.Change;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.ProfileTopic;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo stories of ARCHITECTURE.md with the shipped retail-demo segments, on a real broker and a MiniCluster with
 * RocksDB and EXACTLY_ONCE delivery. One job run and one event-time line for all stories (the watermark is shared):
 * <ol>
 * <li>around T0: retention offer (login, CRM intent, anonymous page view; and once with the page view first, so
 * that the login's merge brings it), prospecting ads (view, then order), cart adds, the first running-shoes view;</li>
 * <li>T0+1h20m on every partition: the cart hour passes (and the retention page leaves its hour);</li>
 * <li>days 1 and 2: the second and third running-shoes views;</li>
 * <li>T0+7d+1h on every partition: the first view leaves its week.</li>
 * </ol>
 * Then every (profile, segment) has exactly its expected list of changes: nothing missing, nothing twice.
 */
class SegmentStoriesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final String ENTERED = "segment.entered";
    private static final String EXITED = "segment.exited";

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    private JobDefinition job;
    private String events;

    @Test
    void theDemoStoriesEnterAndExitTheirSegments() throws Exception {
        // idle partitions (the Avro topic, a partition between two sends) must not hold event time back for 30 s
        job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "stories", checkpoints, Duration.ofSeconds(1));
        assertThat(job.delivery()).isEqualTo(JobDefinition.DeliveryGuarantee.EXACTLY_ONCE);
        KAFKA.createTopics(job);
        events = job.topics().events().get(0).name();
        String ret = profileOf("ret-1");
        String pro = profileOf("pro-1");
        String cart = profileOf("cart-1");
        String buyer = profileOf("cart-2");
        String runner = profileOf("run-1");

        JobClient client = TestPipelines.start(job, IdentityRules.load(Path.of("jobs/retail-demo")));
        try {
            // Retention offer: the login links her cookie; the call centre records the intent to cancel.
            ObjectNode login = identify("ret-login", T0, "ret-1").put("anonymousId", "ret-cookie");
            ObjectNode crm = identify("ret-crm", T0.plusSeconds(60), "ret-1").put("channel", "crm");
            crm.putObject("traits").put("intent_to_cancel", true);
            send(login, crm);
            waitForProfile(ret, p -> p.at("/traits/intent_to_cancel").asBoolean()
                    && p.get("identifiers").toString().contains("ret-cookie"));
            // Later she browses without logging in: only the cookie.
            long sent = System.nanoTime();
            send(page("ret-page", T0.plusSeconds(120), "ret-cookie", "Cancel subscription"));
            Change offer = waitFor(ret, "retention-offer", ENTERED);
            System.out.printf("retention-offer: page view sent -> ENTERED read (read_committed) in %d ms%n",
                    (System.nanoTime() - sent) / 1_000_000);
            assertThat(offer.key()).isEqualTo(ret);
            assertThat(offer.fact("intent_to_cancel").path("held").asBoolean()).isTrue();
            assertThat(offer.fact("intent_to_cancel").path("value").asBoolean()).isTrue();
            assertThat(offer.fact("page").path("held").asBoolean()).isTrue();
            assertThat(offer.fact("page").path("value").asInt()).isEqualTo(1);
            assertThat(offer.json().path("destinations").toString()).contains("web-personalisation");

            // The other way round: he browsed anonymously before he ever logged in on this browser. The login merges
            // the cookie's profile into his, and the merge brings the page view along.
            String ret2 = profileOf("ret-2");
            String cookie2 = ProfileId.of(new Identifier("anonymous_id", "ret2-cookie"));
            send(page("ret2-page", T0.plusSeconds(150), "ret2-cookie", "Pricing"));
            ObjectNode crm2 = identify("ret2-crm", T0.plusSeconds(160), "ret-2").put("channel", "crm");
            crm2.putObject("traits").put("intent_to_cancel", true);
            send(crm2);
            waitForProfile(cookie2, p -> p.at("/eventCounts/page").asInt() == 1);
            waitForProfile(ret2, p -> p.at("/traits/intent_to_cancel").asBoolean());
            send(identify("ret2-login", T0.plusSeconds(170), "ret-2").put("anonymousId", "ret2-cookie"));
            Change merged = waitFor(ret2, "retention-offer", ENTERED);
            assertThat(merged.trigger()).isEqualTo("merge");
            assertThat(merged.fact("page").path("value").asInt()).isEqualTo(1);

            // Prospecting ads: a product view enters, a purchase takes her out.
            send(viewed("pro-view", T0.plusSeconds(180), "pro-1", "sandals"));
            waitFor(pro, "prospecting-ads", ENTERED);
            send(track("pro-order", T0.plusSeconds(240), "pro-1", "Order Completed"));
            Change suppressed = waitFor(pro, "prospecting-ads", EXITED);
            assertThat(suppressed.sequence()).isEqualTo(2);
            assertThat(suppressed.fact("Order Completed").path("held").asBoolean()).isFalse();

            // Cart abandoners: one adds and leaves, one adds and orders within the hour.
            Instant added = T0.plusSeconds(300).plusMillis(250);
            send(track("cart-1-add", added, "cart-1", "Product Added"),
                    track("cart-2-add", T0.plusSeconds(300), "cart-2", "Product Added"),
                    track("cart-2-order", T0.plusSeconds(1800), "cart-2", "Order Completed"),
                    viewed("run-1-view-1", T0.plusSeconds(2400), "run-1", "running-shoes"));
            // all of them in before event time moves on, so none of them arrives late
            waitForProfile(buyer, p -> p.at("/eventCounts/track").asInt() == 2);
            waitForProfile(cart, p -> p.at("/eventCounts/track").asInt() == 1);
            waitForProfile(runner, p -> p.at("/eventCounts/track").asInt() == 1);

            // The hour passes in event time: later events on every partition move the watermark past it.
            tick("hour", T0.plus(Duration.ofMinutes(80)));
            Change abandoned = waitFor(cart, "cart-abandoners", ENTERED);
            // the timer is at add + 1h, rounded up to the 1 s resolution
            assertThat(abandoned.occurredAt()).isEqualTo(Instant.parse("2026-11-02T10:05:01Z"));
            assertThat(abandoned.trigger()).isEqualTo("window");
            waitFor(ret, "retention-offer", EXITED);
            waitFor(ret2, "retention-offer", EXITED);

            // Running shoes: the second and third view within the week.
            send(viewed("run-1-view-2", T0.plus(Duration.ofDays(1)), "run-1", "running-shoes"));
            waitForProfile(runner, p -> p.at("/eventCounts/track").asInt() == 2);
            send(viewed("run-1-view-3", T0.plus(Duration.ofDays(2)), "run-1", "running-shoes"));
            Change interested = waitFor(runner, "running-shoes-interest", ENTERED);
            assertThat(interested.fact("Product Viewed").path("value").asInt()).isEqualTo(3);

            // A week after the first view, with no new view: the timer takes her out.
            tick("week", T0.plus(Duration.ofDays(7)).plus(Duration.ofHours(1)));
            Change lapsed = waitFor(runner, "running-shoes-interest", EXITED);
            assertThat(lapsed.fact("Product Viewed").path("value").asInt()).isEqualTo(2);

            List<Change> all = SegmentChangesTopic.readAll(KAFKA.bootstrapServers(), job.topics().segmentChanges(),
                    Duration.ofSeconds(3));
            assertThat(all).allSatisfy(c -> assertThat(c.key()).isEqualTo(c.profileId()));
            assertThat(SegmentChangesTopic.byProfileAndSegment(all)).isEqualTo(Map.of(
                    ret + " retention-offer", List.of(
                            "ENTERED#1 v1 2026-11-02T09:02:00Z event",
                            "EXITED#2 v1 2026-11-02T10:02:00Z window"),
                    ret2 + " retention-offer", List.of(
                            "ENTERED#1 v1 2026-11-02T09:02:50Z merge",
                            "EXITED#2 v1 2026-11-02T10:02:30Z window"),
                    pro + " prospecting-ads", List.of(
                            "ENTERED#1 v1 2026-11-02T09:03:00Z event",
                            "EXITED#2 v1 2026-11-02T09:04:00Z event"),
                    cart + " cart-abandoners", List.of(
                            "ENTERED#1 v1 2026-11-02T10:05:01Z window"),
                    runner + " prospecting-ads", List.of(
                            "ENTERED#1 v1 2026-11-02T09:40:00Z event"),
                    runner + " running-shoes-interest", List.of(
                            "ENTERED#1 v1 2026-11-04T09:00:00Z event",
                            "EXITED#2 v1 2026-11-09T09:40:00Z window")));
        } finally {
            client.cancel().get();
        }
    }

    private static ObjectNode viewed(String messageId, Instant at, String userId, String category) {
        ObjectNode e = track(messageId, at, userId, "Product Viewed");
        e.putObject("properties").put("category", category).put("sku", category + "-1");
        return e;
    }

    private void send(ObjectNode... records) {
        List<TestPipelines.Input> inputs = new ArrayList<>();
        for (ObjectNode e : records) {
            inputs.add(StoryEvents.input(events, e));
        }
        TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
    }

    /** An unrelated event at {@code at} on every partition of the topic: event time moves on everywhere. */
    private void tick(String name, Instant at) {
        int partitions = job.topics().partitions();
        List<TestPipelines.Input> inputs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            String user = StoryEvents.keyOnPartition("tick-" + name, p, partitions);
            inputs.add(StoryEvents.input(events, user, track(user, at, user, "App Opened")));
        }
        TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
    }

    private void waitForProfile(String profileId, Predicate<JsonNode> done) {
        Map<String, JsonNode> profiles = ProfileTopic.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                p -> p.containsKey(profileId) && done.test(p.get(profileId)), WAIT);
        assertThat(profiles).as("profile %s on the profile topic", profileId).containsKey(profileId);
        assertThat(done).as("profile %s", profileId).accepts(profiles.get(profileId));
    }

    private Change waitFor(String profileId, String segment, String type) {
        List<Change> changes = SegmentChangesTopic.readUntil(KAFKA.bootstrapServers(),
                job.topics().segmentChanges(), SegmentChangesTopic.has(profileId, segment, type), WAIT);
        Change c = SegmentChangesTopic.find(changes, profileId, segment, type);
        assertThat(c).as("%s %s for %s; read so far: %s", type, segment, profileId,
                SegmentChangesTopic.byProfileAndSegment(changes)).isNotNull();
        return c;
    }
}
