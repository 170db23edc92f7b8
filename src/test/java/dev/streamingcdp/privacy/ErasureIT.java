package dev.streamingcdp.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.activation.IdentifierMapping;
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
import java.io.IOException;
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
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * GDPR erasure end to end, on real Kafka and a MiniCluster with RocksDB, with the retail demo's destinations: Eva
 * (user id, e-mail, phone, cookie, traits, consent) is activated to all three destinations; an ERASE by her phone
 * (typed as a person would) removes her: every destination gets profile.erased, the profile topic a tombstone; a
 * savepoint of the running job taken after {@code privacy.erasureGrace}, read with the State Processor API, holds none
 * of her identifiers, traits or message ids in any operator, only the salted hashes on the suppression list; a replay
 * of all her events ends in the DLQ as suppressed and brings no profile back. Two events of hers sent right behind the
 * request race it (her cookie with a phone never seen, her cookie alone): whichever way the race goes, they leave
 * nothing of her either. Bob, activated alongside, stays (and shows the dump reads state).
 */
class ErasureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static final String EVA_USER = "eva-erasmus-41";
    private static final String EVA_COOKIE = "cookie-eva-7f3a9c";
    private static final String EVA_EMAIL = "eva.erasmus@example.com";
    private static final String EVA_PHONE = "+14155550123";
    private static final String EVA_NAME = "Evangelina";
    private static final String EVA_CITY = "Erasmusburg";
    /** A phone she first sends while the erasure runs. */
    private static final String EVA_NEW_PHONE = "+14155550177";
    /** What no state may hold after her erasure: identifier values (normalised and as sent), traits, message ids. */
    private static final List<String> EVA_DATA = List.of(EVA_USER, EVA_COOKIE, EVA_EMAIL, "Eva.Erasmus@Example.com",
            EVA_PHONE, "555-0123", EVA_NEW_PHONE, "555-0177", EVA_NAME, EVA_CITY, "m-eva-", "m-race-eva-");
    /** Short, so that the test sees the tombstones and the marker go. */
    private static final Duration GRACE = Duration.ofSeconds(20);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    /** Two slots for the job, one for reading its savepoints. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(3);

    @TempDir
    static Path checkpoints;

    @TempDir
    static Path savepoints;

    @Test
    void anErasedCustomerIsGoneFromEveryDestinationEveryStateAndStaysGoneOnReplay() throws Exception {
        long started = System.nanoTime();
        JobDefinition demo = TestJobs.retailDemo(KAFKA.bootstrapServers(), "erasure", checkpoints);
        JobDefinition job = new JobDefinition(demo.name(), demo.parallelism(), demo.kafka(), demo.topics(),
                demo.delivery(), demo.checkpoint(), demo.state(), demo.ingest(), demo.profiles(), demo.segments(),
                new JobDefinition.Privacy(demo.privacy().suppressionSalt(), demo.privacy().suppressionRetention(),
                        GRACE));
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        Destinations destinations = Destinations.load(DEMO, segments).withTopicPrefix("erasure.");
        KAFKA.createTopics(job, destinations);
        String events = job.topics().events().get(0).name();
        String email = destinations.destination("email-marketing").orElseThrow().topic();
        String ads = destinations.destination("ads-prospecting").orElseThrow().topic();
        String web = destinations.destination("web-personalisation").orElseThrow().topic();
        String eva = ProfileId.of(new Identifier("user_id", EVA_USER));
        String bob = ProfileId.of(new Identifier("user_id", "bob-kept"));
        Suppressions suppressions = Suppressions.of(job.privacy());

        JobClient client = TestPipelines.start(job, IdentityRules.load(DEMO), segments, destinations);
        try {
            List<ObjectNode> evaEvents = evaJourney();
            List<ObjectNode> first = new ArrayList<>(evaEvents);
            first.add(consent(identify("bob-kept", 0, "bob.kept@example.com", "Robertino"), "marketing", true));
            first.addAll(views("bob-kept", 1, 3));
            produce(events, first);
            // a run-time segment, so that the segment control operator holds state the dump must read
            TestPipelines.produce(KAFKA.bootstrapServers(), List.of(new TestPipelines.Input(
                    job.topics().segmentControl(), "vip-probe", ("{\"id\":\"vip-probe\",\"name\":\"VIP probe\","
                    + "\"version\":1,\"destinations\":[\"web-personalisation\"],"
                    + "\"condition\":{\"trait\":\"vip\",\"equals\":true}}").getBytes(StandardCharsets.UTF_8))));

            readJson(email, r -> has(r, eva, "segment.entered") && has(r, bob, "segment.entered"));
            readAvro(ads, r -> has(r, eva, "segment.entered"));
            readJson(web, r -> has(r, eva, "segment.entered"));
            // all her identifiers claimed: the erasure then meets a settled profile
            TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                    rs -> last(rs, eva) != null && last(rs, eva).path("identifiers").size() == 4, WAIT);
            List<SavepointDump.Line> before = SavepointDump.read(client.triggerSavepoint(
                    savepoints.resolve("before").toUri().toString(), SavepointFormatType.CANONICAL).get());
            assertThat(List.of(EVA_USER, EVA_COOKIE, EVA_EMAIL, EVA_PHONE, EVA_NAME, EVA_CITY))
                    .as("before the erasure, the dump finds each of her values")
                    .allMatch(v -> before.stream().anyMatch(l -> l.toString().contains(v)));
            long activated = System.nanoTime();

            produce(job.topics().privacyRequests(), List.of(
                    request("req-bad-type", "FORGET", "phone", "(415) 555-0123"),
                    request("req-bad-phone", "ERASE", "phone", "12"),
                    request("req-erase-eva", "ERASE", "phone", "(415) 555-0123")));
            produce(events, race());

            // every destination that had her is told, with her identifiers as it takes them
            List<ActivationRecord> toEmail = readJson(email, r -> has(r, eva, "profile.erased"));
            List<ActivationRecord> toAds = readAvro(ads, r -> has(r, eva, "profile.erased"));
            List<ActivationRecord> toWeb = readJson(web, r -> has(r, eva, "profile.erased"));
            assertThat(erased(toEmail, eva).getIdentifiers())
                    .isEqualTo(Map.of("email", List.of(EVA_EMAIL), "user_id", List.of(EVA_USER)));
            assertThat(erased(toAds, eva).getIdentifiers()).isEqualTo(Map.of(
                    "email_sha256", List.of(IdentifierMapping.sha256(EVA_EMAIL)),
                    "phone_sha256", List.of(IdentifierMapping.sha256(EVA_PHONE))));
            assertThat(erased(toWeb, eva).getIdentifiers())
                    .isEqualTo(Map.of("anonymous_id", List.of(EVA_COOKIE), "user_id", List.of(EVA_USER)));
            assertThat(erased(toEmail, eva).getReason()).contains("\"requestId\":\"req-erase-eva\"");
            assertThat(toEmail).noneMatch(r -> r.getProfileId().equals(bob) && r.getType().equals("profile.erased"));

            // the profile topic's last word on her is a tombstone
            List<ConsumerRecord<byte[], byte[]>> profiles = TopicReader.readUntil(KAFKA.bootstrapServers(),
                    job.topics().profiles(), rs -> isTombstone(rs, eva), WAIT);
            assertThat(isTombstone(profiles, eva)).as("tombstone for %s", eva).isTrue();
            assertThat(deadLetters(job, "bad_request", 2)).extracting(d -> d.path("detail").asText())
                    .containsExactlyInAnyOrder("'type' must be ERASE, SUPPRESS or UNSUPPRESS",
                            "'identifier.value' is not a valid phone number");
            long erasedAt = System.nanoTime();

            // no state of any operator holds her once the grace is over (until then her identity nodes are
            // tombstones keyed by her identifiers); take savepoints until one is clean (each a consistent cut)
            List<SavepointDump.Line> dump = List.of();
            int taken = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            do {
                String path = client.triggerSavepoint(savepoints.resolve("sp-" + taken++).toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
                dump = SavepointDump.read(path);
            } while (!herDataIn(dump).isEmpty() && System.nanoTime() < deadline);
            assertThat(herDataIn(dump)).as("state holding her data, after %d savepoints", taken).isEmpty();
            assertThat(SavepointDump.operators(dump)).as("every operator's state was read").containsExactly(
                    "activation-gate", "identity-resolve", "ingest-deduplicate", "privacy-suppress", "profile-unify",
                    "segment-control-check");
            assertThat(dump).as("Bob is still there: the dump reads real state")
                    .anyMatch(l -> l.uid().equals("identity-resolve") && l.key().equals("user_id:bob-kept"))
                    .anyMatch(l -> l.uid().equals("profile-unify") && l.value().contains("Robertino"))
                    .anyMatch(l -> l.uid().equals("activation-gate") && l.key().equals(bob));
            List<String> herHashes = List.of(
                    suppressions.hash(new Identifier("phone", EVA_PHONE)),
                    suppressions.hash(new Identifier("email", EVA_EMAIL)),
                    suppressions.hash(new Identifier("user_id", EVA_USER)),
                    suppressions.hash(new Identifier("anonymous_id", EVA_COOKIE)));
            List<String> orHerNewPhone = new ArrayList<>(herHashes);
            orHerNewPhone.add(suppressions.hash(new Identifier("phone", EVA_NEW_PHONE)));
            assertThat(dump).filteredOn(l -> l.uid().equals("privacy-suppress")).extracting(SavepointDump.Line::key)
                    .as("the salted hashes of all her identifiers (the racing phone's if it got that far), no more")
                    .containsAll(herHashes).isSubsetOf(orHerNewPhone);
            assertThat(dump).filteredOn(l -> l.key().equals(eva))
                    .as("after the grace not even the marker of her profile id is left").isEmpty();
            // the racing events that did not become part of her (and were erased with her) are dead letters
            long raceDropped = TopicReader.readAll(KAFKA.bootstrapServers(), job.topics().deadLetter(),
                    Duration.ofSeconds(1)).stream().filter(r -> parse(r.value()).path("reason").asText()
                    .equals("suppressed")).count();
            assertThat(raceDropped).isBetween(0L, 2L);
            long clean = System.nanoTime();

            // a replay of everything she ever sent: all suppressed, nothing re-created
            produce(events, evaEvents);
            List<JsonNode> suppressed = deadLetters(job, "suppressed", evaEvents.size() + (int) raceDropped);
            assertThat(suppressed).hasSize(evaEvents.size() + (int) raceDropped).allSatisfy(d -> {
                assertThat(d.path("source").path("topic").asText()).isEqualTo(events);
                assertThat(d.path("payload").asText()).isEmpty();
                assertThat(d.path("detail").asText()).containsAnyOf("req-erase-eva", eva);
            });
            List<ConsumerRecord<byte[], byte[]>> after = TopicReader.readAll(KAFKA.bootstrapServers(),
                    job.topics().profiles(), Duration.ofSeconds(2));
            assertThat(isTombstone(after, eva)).isTrue();
            assertThat(current(after)).as("no profile on the topic holds anything of hers")
                    .noneMatch(p -> EVA_DATA.stream().anyMatch(p::contains));
            assertThat(readJson(email, r -> has(r, eva, "profile.erased"))).filteredOn(r -> r.getProfileId().equals(eva))
                    .extracting(ActivationRecord::getType).last().isEqualTo("profile.erased");
            long enrichedCopies = TopicReader.readAll(KAFKA.bootstrapServers(), job.topics().enriched().name(),
                    Duration.ofSeconds(1)).stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains("m-eva-")).count();
            assertThat(enrichedCopies).as("the replay never reached the enriched topic").isEqualTo(evaEvents.size());
            System.out.printf("ErasureIT: activated %.1fs, erased (destinations + tombstone) %.1fs, clean savepoint"
                    + " %.1fs (%d taken), replay suppressed %.1fs; racing events dead-lettered: %d of 2%n",
                    secs(started, activated), secs(activated, erasedAt), secs(erasedAt, clean), taken,
                    secs(clean, System.nanoTime()), raceDropped);
        } finally {
            client.cancel().get();
        }
    }

    /** Identify with every identifier, consent to marketing and advertising, running shoes, a cookie-only page. */
    private static List<ObjectNode> evaJourney() {
        List<ObjectNode> journey = new ArrayList<>();
        ObjectNode identify = consent(identify(EVA_USER, 0, " Eva.Erasmus@Example.com ", EVA_NAME),
                "marketing", true, "advertising", true).put("anonymousId", EVA_COOKIE).put("channel", "crm");
        ObjectNode traits = (ObjectNode) identify.get("traits");
        traits.put("phone", "(415) 555-0123").put("city", EVA_CITY).put("intent_to_cancel", true);
        journey.add(identify);
        journey.addAll(views(EVA_USER, 1, 3));
        ObjectNode page = event("page", null, 5).put("anonymousId", EVA_COOKIE).put("messageId", "m-eva-page-5");
        journey.add(page);
        return journey;
    }

    /** Sent right behind her erasure: her cookie with a phone never seen, and her cookie alone. */
    private static List<ObjectNode> race() {
        ObjectNode withPhone = event("identify", null, 7).put("anonymousId", EVA_COOKIE)
                .put("messageId", "m-race-eva-1");
        withPhone.putObject("traits").put("phone", "(415) 555-0177");
        ObjectNode cookie = event("page", null, 8).put("anonymousId", EVA_COOKIE).put("messageId", "m-race-eva-2");
        return List.of(withPhone, cookie);
    }

    private static boolean has(List<ActivationRecord> records, String profileId, String type) {
        return records.stream().anyMatch(r -> r.getProfileId().equals(profileId) && r.getType().equals(type));
    }

    private static ActivationRecord erased(List<ActivationRecord> records, String profileId) {
        return records.stream().filter(r -> r.getProfileId().equals(profileId)
                && r.getType().equals("profile.erased")).findFirst().orElseThrow();
    }

    private static List<String> herDataIn(List<SavepointDump.Line> dump) {
        return dump.stream().map(SavepointDump.Line::toString)
                .filter(l -> EVA_DATA.stream().anyMatch(l::contains)).toList();
    }

    private static JsonNode last(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        JsonNode last = null;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
                last = r.value() == null ? null : parse(r.value());
            }
        }
        return last;
    }

    private static boolean isTombstone(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        ConsumerRecord<byte[], byte[]> last = null;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
                last = r;
            }
        }
        return last != null && last.value() == null;
    }

    /** The compacted topic as a consumer ends up seeing it: the last value per key, tombstones dropped. */
    private static List<String> current(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, String> last = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            last.put(new String(r.key(), StandardCharsets.UTF_8),
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
        }
        return last.values().stream().filter(java.util.Objects::nonNull).toList();
    }

    private static List<JsonNode> deadLetters(JobDefinition job, String reason, int atLeast) {
        Predicate<List<ConsumerRecord<byte[], byte[]>>> done = rs -> rs.stream()
                .filter(r -> parse(r.value()).path("reason").asText().equals(reason)).count() >= atLeast;
        List<JsonNode> found = TopicReader.readUntil(KAFKA.bootstrapServers(), job.topics().deadLetter(), done, WAIT)
                .stream().map(r -> parse(r.value())).filter(d -> d.path("reason").asText().equals(reason)).toList();
        assertThat(found).as("dead letters with reason %s", reason).hasSizeGreaterThanOrEqualTo(atLeast);
        return found;
    }

    private List<ActivationRecord> readJson(String topic, Predicate<List<ActivationRecord>> done) {
        return read(topic, done, ErasureIT::fromJson);
    }

    private List<ActivationRecord> readAvro(String topic, Predicate<List<ActivationRecord>> done) {
        return read(topic, done, v -> {
            try {
                return ActivationRecord.fromByteBuffer(ByteBuffer.wrap(v));
            } catch (IOException e) {
                throw new AssertionError("not an Avro activation record", e);
            }
        });
    }

    private static List<ActivationRecord> read(String topic, Predicate<List<ActivationRecord>> done,
            java.util.function.Function<byte[], ActivationRecord> decode) {
        List<ActivationRecord> records = TopicReader.readUntil(KAFKA.bootstrapServers(), topic,
                rs -> done.test(rs.stream().map(r -> decode.apply(r.value())).toList()), WAIT)
                .stream().map(r -> decode.apply(r.value())).toList();
        assertThat(done.test(records)).as("records on %s: %s", topic, records).isTrue();
        return records;
    }

    private static ActivationRecord fromJson(byte[] value) {
        JsonNode j = parse(value);
        Map<String, List<String>> ids = JSON.convertValue(j.get("identifiers"),
                JSON.getTypeFactory().constructMapType(Map.class, JSON.constructType(String.class),
                        JSON.getTypeFactory().constructCollectionType(List.class, String.class)));
        return new ActivationRecord("", j.get("type").asText(), j.at("/segment/id").asText(null),
                j.at("/segment/version").isMissingNode() ? null : j.at("/segment/version").asInt(),
                j.get("profileId").asText(), ids, Instant.parse(j.get("occurredAt").asText()).toEpochMilli(),
                j.get("sequence").asLong(), j.get("reason").toString());
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new AssertionError("not JSON", e);
        }
    }

    private static void produce(String topic, List<ObjectNode> records) {
        List<TestPipelines.Input> inputs = records.stream().map(e -> new TestPipelines.Input(topic,
                e.has("userId") ? e.get("userId").asText() : e.path("anonymousId").asText(e.path("requestId")
                        .asText()), e.toString().getBytes(StandardCharsets.UTF_8))).toList();
        TestPipelines.produce(KAFKA.bootstrapServers(), inputs);
    }

    private static ObjectNode request(String requestId, String type, String idType, String value) {
        ObjectNode r = JSON.createObjectNode().put("requestId", requestId).put("type", type);
        r.putObject("identifier").put("type", idType).put("value", value);
        return r;
    }

    private static ObjectNode identify(String user, int minute, String email, String firstName) {
        ObjectNode e = event("identify", user, minute);
        e.putObject("traits").put("email", email).put("first_name", firstName);
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
        ObjectNode e = JSON.createObjectNode().put("type", type);
        if (user != null) {
            e.put("userId", user);
        }
        e.put("messageId", "m-" + (user != null && user.startsWith("eva") ? "eva" : user) + "-" + type + "-" + minute)
                .put("timestamp", T.plus(Duration.ofMinutes(minute)).toString());
        if (type.equals("page")) {
            e.put("name", "Pricing");
        }
        return e;
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }
}
