package dev.streamingcdp.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consent gating end to end with the retail demo's destinations: she declined marketing, so the e-mail tool never
 * hears of her, while personalisation does; another customer's revocation retracts her and a new grant brings her
 * back; the ad platform gets hashed e-mails (Avro).
 */
class ConsentActivationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    Path checkpoints;

    @Test
    void consentDecidesWhichDestinationsHearOfHer() throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "consent", checkpoints);
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        Destinations destinations = Destinations.load(DEMO, segments).withTopicPrefix("consent.");
        KAFKA.createTopics(job, destinations);
        String events = job.topics().events().get(0).name();
        String email = destinations.destination("email-marketing").orElseThrow().topic();
        String ads = destinations.destination("ads-prospecting").orElseThrow().topic();
        String web = destinations.destination("web-personalisation").orElseThrow().topic();
        String ann = ProfileId.of(new Identifier("user_id", "ann"));
        String bea = ProfileId.of(new Identifier("user_id", "bea"));
        String cat = ProfileId.of(new Identifier("user_id", "cat"));

        JobClient client = TestPipelines.start(job, IdentityRules.load(DEMO), segments, destinations);
        try {
            List<ObjectNode> first = new ArrayList<>();
            // Ann declined marketing, allows personalisation, intends to cancel, and browses running shoes
            first.add(consent(identify("ann", 0, "ann@example.com").put("channel", "crm"), "marketing", false,
                    "personalisation", true));
            ((ObjectNode) first.get(0).get("traits")).put("intent_to_cancel", true);
            first.addAll(views("ann", 1, 3));
            first.add(event("page", "ann", 5));
            // Bea agreed to marketing and browses running shoes too
            first.add(consent(identify("bea", 0, "bea@example.com"), "marketing", true));
            first.addAll(views("bea", 1, 3));
            // Cat agreed to advertising and looks at one product
            first.add(consent(identify("cat", 0, "Cat@Example.com "), "advertising", true));
            first.addAll(views("cat", 1, 1));
            produce(events, first);

            List<ActivationRecord> toEmail = readJson(email, r -> has(r, bea, "segment.entered", 1));
            List<ActivationRecord> toAds = readAvro(ads, r -> has(r, cat, "segment.entered", 1));
            List<ActivationRecord> toWeb = readJson(web, r -> has(r, ann, "segment.entered", 1));
            assertThat(toWeb).anySatisfy(r -> {
                assertThat(r.getProfileId()).isEqualTo(ann);
                assertThat(r.getSegmentId()).isEqualTo("retention-offer");
                assertThat(r.getIdentifiers()).containsEntry("user_id", List.of("ann"));
                assertThat(r.getReason()).contains("\"purpose\":\"personalisation\"").contains("\"granted\":true");
            });
            assertThat(toAds).singleElement().satisfies(r -> {
                assertThat(r.getSegmentId()).isEqualTo("prospecting-ads");
                assertThat(r.getIdentifiers()).containsOnlyKeys("email_sha256").containsEntry("email_sha256",
                        List.of(IdentifierMapping.sha256("cat@example.com")));
            });

            // Bea revokes marketing, then grants it again: one exit, one new entry
            produce(events, List.of(consent(identify("bea", 10, null), "marketing", false)));
            readJson(email, r -> has(r, bea, "segment.exited", 2));
            produce(events, List.of(consent(identify("bea", 20, null), "marketing", true)));
            toEmail = readJson(email, r -> has(r, bea, "segment.entered", 3));

            assertThat(toEmail).extracting(r -> r.getProfileId() + " " + r.getType() + " " + r.getSequence())
                    .containsExactly(bea + " segment.entered 1", bea + " segment.exited 2",
                            bea + " segment.entered 3");
            assertThat(toEmail.get(0).getIdentifiers())
                    .isEqualTo(Map.of("email", List.of("bea@example.com"), "user_id", List.of("bea")));
            assertThat(toEmail.get(1).getReason()).contains("\"trigger\":\"consent\"").contains("\"granted\":false");
            assertThat(toEmail).noneMatch(r -> r.getProfileId().equals(ann));
        } finally {
            client.cancel().get();
        }
    }

    private static boolean has(List<ActivationRecord> records, String profileId, String type, long sequence) {
        return records.stream().anyMatch(r -> r.getProfileId().equals(profileId) && r.getType().equals(type)
                && r.getSequence() == sequence);
    }

    private List<ActivationRecord> readJson(String topic, Predicate<List<ActivationRecord>> done) {
        return read(topic, done, ConsentActivationIT::fromJson);
    }

    private List<ActivationRecord> readAvro(String topic, Predicate<List<ActivationRecord>> done) {
        return read(topic, done, v -> {
            try {
                return ActivationRecord.fromByteBuffer(ByteBuffer.wrap(v));
            } catch (java.io.IOException e) {
                throw new AssertionError("not an Avro activation record", e);
            }
        });
    }

    private List<ActivationRecord> read(String topic, Predicate<List<ActivationRecord>> done,
            java.util.function.Function<byte[], ActivationRecord> decode) {
        List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readUntil(KAFKA.bootstrapServers(), topic,
                rs -> done.test(rs.stream().map(r -> decode.apply(r.value())).toList()), WAIT);
        List<ActivationRecord> records = raw.stream().map(r -> decode.apply(r.value())).toList();
        assertThat(done.test(records)).as("records on %s: %s", topic, records).isTrue();
        raw.forEach(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
                .isEqualTo(decode.apply(r.value()).getProfileId()));
        return records;
    }

    /** Only the fields the assertions use: the JSON contract is checked field by field. */
    private static ActivationRecord fromJson(byte[] value) {
        try {
            JsonNode j = JSON.readTree(value);
            Map<String, List<String>> ids = JSON.convertValue(j.get("identifiers"),
                    JSON.getTypeFactory().constructMapType(Map.class, JSON.constructType(String.class),
                            JSON.getTypeFactory().constructCollectionType(List.class, String.class)));
            assertThat(j.has("emittedAt")).isTrue();
            return new ActivationRecord("", j.get("type").asText(), j.at("/segment/id").asText(),
                    j.at("/segment/version").asInt(), j.get("profileId").asText(), ids,
                    Instant.parse(j.get("occurredAt").asText()).toEpochMilli(), j.get("sequence").asLong(),
                    j.get("reason").toString());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON", e);
        }
    }

    private static void produce(String topic, List<ObjectNode> events) {
        List<TestPipelines.Input> inputs = events.stream().map(e -> new TestPipelines.Input(topic,
                e.get("userId").asText(), e.toString().getBytes(StandardCharsets.UTF_8))).toList();
        TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
    }

    private static ObjectNode identify(String user, int minute, String email) {
        ObjectNode e = event("identify", user, minute);
        ObjectNode traits = e.putObject("traits");
        if (email != null) {
            traits.put("email", email);
        }
        return e;
    }

    private static ObjectNode consent(ObjectNode e, Object... purposes) {
        ObjectNode prefs = e.putObject("context").putObject("consent").putObject("categoryPreferences");
        for (int i = 0; i < purposes.length; i += 2) {
            prefs.put((String) purposes[i], (Boolean) purposes[i + 1]);
        }
        return e;
    }

    private static List<ObjectNode> views(String user, int fromMinute, int count) {
        List<ObjectNode> views = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode v = event("track", user, fromMinute + i).put("event", "Product Viewed");
            v.putObject("properties").put("category", "running-shoes").put("sku", "sku-1001");
            views.add(v);
        }
        return views;
    }

    private static ObjectNode event(String type, String user, int minute) {
        ObjectNode e = JSON.createObjectNode().put("type", type).put("userId", user)
                .put("messageId", "m-" + user + "-" + type + "-" + minute)
                .put("timestamp", T.plus(Duration.ofMinutes(minute)).toString());
        if (type.equals("page")) {
            e.put("name", "Pricing");
        }
        return e;
    }
}
