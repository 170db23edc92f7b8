package dev.streamingcdp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.metrics.PrometheusText.Sample;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.ProfileTopic;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TestPipelines.Input;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's metrics as a Prometheus server scrapes them: the retail demo runs on a MiniCluster with the Prometheus
 * reporter while stories go through every stage (a duplicate, malformed records, a merge, links the identity rules
 * reject, segment entries that reach destinations), and each metric family must show plausible values.
 */
class PrometheusMetricsIT {

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final String PORTS = "19249-19259";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(prometheus()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path checkpoints;

    private static Configuration prometheus() {
        Configuration conf = new Configuration();
        conf.setString("metrics.reporter.prom.factory.class", LoopbackPrometheusReporterFactory.class.getName());
        conf.setString("metrics.reporter.prom.port", PORTS);
        return conf;
    }

    @Test
    void everyMetricFamilyIsScrapedWithPlausibleValues() throws Exception {
        JobDefinition job = TestJobs.retailDemo(KAFKA.bootstrapServers(), "metrics", checkpoints);
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        Destinations destinations = Destinations.load(DEMO, segments).withTopicPrefix("metrics.");
        KAFKA.createTopics(job, destinations);
        String events = job.topics().events().get(0).name();

        JobClient client = TestPipelines.start(job, IdentityRules.load(DEMO), segments, destinations);
        try {
            List<Input> first = new ArrayList<>();
            // Ann intends to cancel, allows personalisation and views a page: retention-offer, to web personalisation
            ObjectNode ann = consent(event("identify", "ann", 0), "personalisation", true);
            ann.putObject("traits").put("intent_to_cancel", true).put("email", "ann@example.com");
            first.add(input(events, ann));
            first.add(input(events, event("page", "ann", 1).put("name", "Pricing")));
            // Bea agreed to marketing and views running shoes three times: running-shoes-interest, to e-mail
            ObjectNode bea = consent(event("identify", "bea", 0), "marketing", true);
            bea.putObject("traits").put("email", "bea@example.com");
            first.add(input(events, bea));
            for (int minute = 1; minute <= 3; minute++) {
                ObjectNode view = event("track", "bea", minute).put("event", "Product Viewed");
                view.putObject("properties").put("category", "running-shoes").put("sku", "sku-1001");
                first.add(input(events, view));
            }
            first.add(input(events, bea)); // sent twice: a duplicate
            // a device id the rules block, and two user ids on one cookie (user_id is unique): rejected links
            ObjectNode kiosk = event("track", "cy", 0).put("event", "Signed In");
            kiosk.putObject("context").putObject("device").put("id", "unknown");
            first.add(input(events, kiosk));
            first.add(input(events, event("page", "u1", 0).put("anonymousId", "cookie-shared")));
            first.add(input(events, event("page", "u2", 1).put("anonymousId", "cookie-shared")));
            // a cookie alone: its profile is merged into dan's below
            ObjectNode cookie = event("page", "dan", 0);
            cookie.remove("userId");
            first.add(input(events, cookie.put("anonymousId", "cookie-dan")));
            // malformed
            first.add(new Input(events, "bad-json", "{\"type\": \"track\", ".getBytes(StandardCharsets.UTF_8)));
            first.add(input(events, event("track", "eve", 0).put("event", "x").put("timestamp", "yesterday"),
                    "bad-timestamp"));
            TestPipelines.produce(KAFKA.bootstrapServers(), first);

            // the link must reach the cookie's profile after it exists, or there is nothing to merge
            String cookieProfile = ProfileId.of(new Identifier("anonymous_id", "cookie-dan"));
            assertThat(ProfileTopic.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                    p -> p.containsKey(cookieProfile), WAIT)).containsKey(cookieProfile);
            // with the job running: the link, and Bea revoking marketing (an exit to e-mail, measured from now)
            TestPipelines.produce(KAFKA.bootstrapServers(),
                    List.of(input(events, event("page", "dan", 1).put("anonymousId", "cookie-dan")),
                            input(events, consent(event("identify", "bea", 10), "marketing", false))));

            Expected expected = Expected.of(TopicReader.readUntil(KAFKA.bootstrapServers(), events,
                    r -> r.size() >= first.size() + 2, WAIT));
            List<Sample> scraped = scrapeUntil(samples -> plausible(samples, expected));
            plausible(scraped, expected);
            family(scraped, "activation_eventToActivationLatencyMs").forEach(q -> System.out.printf(
                    "event-to-activation latency, subtask %s, quantile %s: %.0f ms%n",
                    q.labels().get("subtask_index"), q.labels().get("quantile"), q.value()));
        } finally {
            client.cancel().get();
        }
    }

    private static void plausible(List<Sample> s, Expected expected) {
        assertThat(s).as("this job's metrics on a port of 127.0.0.1:%s", PORTS).isNotEmpty();
        expected.byType.forEach((type, n) -> assertThat(sum(s, "ingest_type_events", "type", type))
                .as("events of type %s", type).isGreaterThanOrEqualTo(n));
        assertThat(sum(s, "deserializer_ingest_recordsIn")).as("records in")
                .isGreaterThanOrEqualTo(expected.records);
        assertThat(sum(s, "ingest_reason_deadLetters", "reason", "bad_json")).as("bad_json").isEqualTo(
                expected.badJson);
        assertThat(sum(s, "ingest_reason_deadLetters", "reason", "bad_timestamp")).as("bad_timestamp")
                .isEqualTo(expected.badTimestamp);
        assertThat(sum(s, "ingest_duplicatesDropped")).as("duplicates").isEqualTo(expected.duplicates);

        assertThat(sum(s, "profile_profilesCreated")).as("profiles created (ann, bea, cy, u1, u2, dan, cookie)")
                .isGreaterThanOrEqualTo(7);
        assertThat(family(s, "profile_profilesRemoved")).as("profiles removed").isNotEmpty();
        assertThat(sum(s, "profile_profilesRemoved")).as("none unseen for anonymousTtl (30d)").isZero();
        assertThat(sum(s, "profile_merges")).as("merges").isGreaterThanOrEqualTo(1);
        assertThat(sum(s, "profile_rule_rejectedLinks", "rule", "blocked")).as("blocked").isGreaterThanOrEqualTo(1);
        assertThat(sum(s, "profile_rule_rejectedLinks", "rule", "unique")).as("unique").isGreaterThanOrEqualTo(1);

        assertThat(sum(s, "profile_segment_entered", "segment", "retention_offer")).as("entered retention-offer")
                .isGreaterThanOrEqualTo(1);
        assertThat(sum(s, "profile_segment_entered", "segment", "running_shoes_interest"))
                .as("entered running-shoes-interest").isGreaterThanOrEqualTo(1);
        assertThat(sum(s, "activation_destination_records", "destination", "web_personalisation"))
                .as("records to web-personalisation").isGreaterThanOrEqualTo(1);
        assertThat(sum(s, "activation_destination_records", "destination", "email_marketing"))
                .as("records to email-marketing: Bea's entry and exit").isGreaterThanOrEqualTo(2);

        // every destination record here was caused by an input event (no window lapses, no segment is pushed)
        assertThat(sum(s, "activation_eventToActivationLatencyMs_count")).as("latency samples")
                .isEqualTo(sum(s, "activation_destination_records"));
        // per subtask (each keeps its own window): 0 <= p50 <= p99.9 < 10 minutes; plausibility, not performance
        for (Sample p50 : family(s, "activation_eventToActivationLatencyMs", "quantile", "0.5")) {
            Sample p999 = family(s, "activation_eventToActivationLatencyMs", "quantile", "0.999").stream()
                    .filter(q -> q.labels().get("subtask_index").equals(p50.labels().get("subtask_index")))
                    .findFirst().orElseThrow();
            if (!Double.isNaN(p50.value())) { // NaN: this subtask has measured nothing yet
                assertThat(p50.value()).as("p50 latency ms").isBetween(0.0, p999.value());
                assertThat(p999.value()).as("p99.9 latency ms").isLessThan(Duration.ofMinutes(10).toMillis());
            }
        }
        assertThat(family(s, "activation_eventToActivationLatencyMs", "quantile", "0.5"))
                .as("a latency percentile measured").anyMatch(q -> !Double.isNaN(q.value()));
    }

    /** What the input topic holds: a resent record (a producer retry too) is a duplicate or dead letter more. */
    private record Expected(int records, Map<String, Integer> byType, long badJson, long badTimestamp,
            long duplicates) {

        static Expected of(List<ConsumerRecord<byte[], byte[]>> records) {
            Map<String, Integer> byType = new HashMap<>();
            Set<String> ids = new HashSet<>();
            long badJson = 0;
            long badTimestamp = 0;
            long valid = 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (key.equals("bad-json")) {
                    badJson++;
                } else if (key.equals("bad-timestamp")) {
                    badTimestamp++;
                } else {
                    valid++;
                    ids.add(key);
                    byType.merge(type(r.value()), 1, Integer::sum);
                }
            }
            return new Expected(records.size(), byType, badJson, badTimestamp, valid - ids.size());
        }

        private static String type(byte[] value) {
            try {
                return JSON.readTree(value).get("type").asText();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    // ---- scraping

    private interface Check {
        void test(List<Sample> samples);
    }

    /** Scrapes until {@code check} passes (metrics arrive as the job works) or WAIT is over; the last scrape. */
    private static List<Sample> scrapeUntil(Check check) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Sample> samples = List.of();
        while (System.nanoTime() < deadline) {
            samples = scrape(http);
            try {
                check.test(samples);
                return samples;
            } catch (AssertionError notYet) {
                Thread.sleep(1_000);
            }
        }
        return samples;
    }

    /** The reporter took the first free port of the range: the one that answers with this job's metrics. */
    private static List<Sample> scrape(HttpClient http) throws InterruptedException {
        String[] range = PORTS.split("-");
        for (int port = Integer.parseInt(range[0]); port <= Integer.parseInt(range[1]); port++) {
            Optional<String> body = get(http, URI.create("http://127.0.0.1:" + port + "/metrics"));
            if (body.isPresent() && body.get().contains(OPERATOR + "deserializer_ingest_recordsIn")) {
                return PrometheusText.parse(body.get());
            }
        }
        return List.of();
    }

    private static Optional<String> get(HttpClient http, URI uri) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException nothingThere) {
            return Optional.empty();
        }
    }

    /**
     * The samples of one operator metric (name without the scope prefix), with one label value if given. The
     * reporter writes label values with every character but letters, digits, ':' and '_' as '_' (web_personalisation).
     */
    private static List<Sample> family(List<Sample> samples, String name, String... label) {
        return samples.stream().filter(s -> s.name().equals(OPERATOR + name))
                .filter(s -> label.length == 0 || label[1].equals(s.labels().get(label[0]))).toList();
    }

    /** Summed over subtasks. */
    private static long sum(List<Sample> samples, String name, String... label) {
        return Math.round(family(samples, name, label).stream().mapToDouble(Sample::value).sum());
    }

    // ---- input

    private static ObjectNode event(String type, String user, int minute) {
        return JSON.createObjectNode().put("type", type).put("userId", user)
                .put("messageId", "m-" + user + "-" + type + "-" + minute)
                .put("timestamp", T.plus(Duration.ofMinutes(minute)).toString());
    }

    private static ObjectNode consent(ObjectNode e, String purpose, boolean granted) {
        e.putObject("context").putObject("consent").putObject("categoryPreferences").put(purpose, granted);
        return e;
    }

    private static Input input(String topic, ObjectNode e) {
        return input(topic, e, e.get("messageId").asText());
    }

    private static Input input(String topic, ObjectNode e, String key) {
        return new Input(topic, key, e.toString().getBytes(StandardCharsets.UTF_8));
    }
}
