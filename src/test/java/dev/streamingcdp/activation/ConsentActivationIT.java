package dev.streamingcdp.activation;

import static dev.streamingcdp.activation.ActivationTopics.consent;
import static dev.streamingcdp.activation.ActivationTopics.event;
import static dev.streamingcdp.activation.ActivationTopics.identify;
import static dev.streamingcdp.activation.ActivationTopics.views;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Path;
import java.time.Duration;
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
 * Consent gating end to end with the retail demo's destinations: she declined marketing, so the e-mail tool never
 * hears of her, while personalisation does; another customer's revocation retracts her and a new grant brings her
 * back; the ad platform gets hashed e-mails (Avro).
 */
class ConsentActivationIT {

        private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @Test
    void consentDecidesWhichDestinationsHearOfHer() throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "consent", checkpoints);
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        Destinations destinations = Destinations.load(DEMO, segments).withTopicPrefix("consent.");
        KAFKA.createTopics(job, destinations);
        String events = job.topics().events().get(0).name();
        Destinations.Destination email = destinations.destination("email-marketing").orElseThrow();
        Destinations.Destination ads = destinations.destination("ads-prospecting").orElseThrow();
        Destinations.Destination web = destinations.destination("web-personalisation").orElseThrow();
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
            ActivationTopics.produce(KAFKA.bootstrapServers(), events, first);

            List<ActivationRecord> toEmail = read(email, r -> has(r, bea, "segment.entered", 1));
            List<ActivationRecord> toAds = read(ads, r -> has(r, cat, "segment.entered", 1));
            List<ActivationRecord> toWeb = read(web, r -> has(r, ann, "segment.entered", 1));
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
            ActivationTopics.produce(KAFKA.bootstrapServers(), events, List.of(consent(identify("bea", 10, null), "marketing", false)));
            read(email, r -> has(r, bea, "segment.exited", 2));
            ActivationTopics.produce(KAFKA.bootstrapServers(), events, List.of(consent(identify("bea", 20, null), "marketing", true)));
            toEmail = read(email, r -> has(r, bea, "segment.entered", 3));

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

    private static List<ActivationRecord> read(Destinations.Destination d, Predicate<List<ActivationRecord>> done) {
        List<ActivationRecord> records = ActivationTopics.read(KAFKA.bootstrapServers(), d, done, WAIT);
        assertThat(done.test(records)).as("records on %s: %s", d.topic(), records).isTrue();
        return records;
    }
}
