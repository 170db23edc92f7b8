package dev.streamingcdp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.ActivationSerializer;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class WatchCommandIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static final String JOB = "jobs/retail-demo";
    private static String deadLetter;
    private static String enriched;
    private static String segmentChanges;

    /**
     * Two committed transactions around an aborted one, all in the same partitions: a read_committed reader that
     * reaches the second commit has passed the aborted records and must have skipped them.
     */
    @BeforeAll
    static void writeTransactions() throws Exception {
        JobDefinition job = JobDefinition.load(Path.of(JOB)).withBootstrapServers(KAFKA.bootstrapServers());
        Destinations destinations = Destinations.load(Path.of(JOB), SegmentCatalog.load(Path.of(JOB)));
        TopicAdmin.createMissing(KAFKA.bootstrapServers(), Map.of(), TopicRegistry.topics(job, destinations));
        deadLetter = job.topics().deadLetter();
        enriched = job.topics().enriched().name();
        segmentChanges = job.topics().segmentChanges();

        ActivationSerializer activation = new ActivationSerializer(destinations);
        try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(dlq(0, "bad_json", "{\"type\": \"track\",\n", 42));
            producer.send(dlq(1, "missing_type", "{\"event\": \"x\"}", 43));
            producer.send(event(0, "m1", "track", "Product Added", "jane@example.com"));
            producer.send(event(1, "m2", "identify", null, "bob.smith@example.org"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(dlq(0, "too_large", "ABORTED-PAYLOAD", 99));
            producer.send(event(0, "m-aborted", "screen", "Aborted Screen", "ghost@example.com"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(dlq(0, "bad_json", "second bad one", 44));
            producer.send(event(0, "m3", "page", "Checkout", "carol@example.com"));
            producer.send(segmentEntered("p-1a2b3c4d5e6f708192a3b4c5"));
            // one destination writes JSON, the other Avro: the watch shows both alike
            producer.send(activation(activation, "email-marketing", "segment.entered", "running-shoes-interest",
                    Map.of("email", List.of("beatrice@example.com"))));
            String hashed = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
            producer.send(activation(activation, "ads-prospecting", "segment.exited", "prospecting-ads",
                    Map.of("email_sha256", List.of(hashed))));
            producer.commitTransaction();
        }
    }

    @Test
    void replaysAndCountsCommittedRecordsOnly() {
        long start = System.currentTimeMillis();
        Run run = watch("--from-beginning", "--max-records", "9", "--max-seconds", "60", "--interval", "1s");

        assertThat(run.exitCode).isZero();
        assertThat(System.currentTimeMillis() - start).as("stopped by --max-records").isLessThan(30_000);
        assertThat(run.output).contains(
                "track", "Product Added", "email:jan***@example.com",
                "identify", "email:bob***@example.org",
                "page", "Checkout", "email:car***@example.com",
                "bad_json", "cdp.events.json:0@42", "{\"type\": \"track\",\\n",
                "missing_type", "cdp.events.json:0@43", "second bad one",
                "ENTERED  retention-offer v1", "p-1a2b3c...", "trait intent_to_cancel equals true = true",
                "email-marketing     ENTERED  running-shoes-interest v1", "(consent marketing: granted)",
                "email:bea***@example.com", "ads-prospecting     EXITED   prospecting-ads v1",
                "(consent advertising: not granted)", "email_sha256:9f8***08");
        assertThat(run.output).doesNotContain("jane@", "ABORTED", "Aborted Screen", "ghost", "too_large", "screen",
                "beatrice", "(unreadable)");

        String finalSummary = run.output.substring(run.output.lastIndexOf("-- summary at"));
        assertThat(finalSummary).containsPattern("EVENT +total 3 .* identify=1 page=1 track=1")
                .containsPattern("DLQ +total 3 .* bad_json=2 missing_type=1")
                .containsPattern("SEGMENT +total 1 .* retention-offer.entered=1")
                .containsPattern("ACTIVATION +total 2 .* ads-prospecting.exited=1 email-marketing.entered=1");
    }

    @Test
    void startsAtTheEndByDefaultAndStopsAfterMaxSeconds() {
        Run run = watch("--max-seconds", "2");

        assertThat(run.exitCode).isZero();
        assertThat(run.output).contains("from the end").doesNotContain("Product Added", "cdp.events.json:0@42");
        assertThat(run.output).containsPattern("EVENT +total 0 ").containsPattern("DLQ +total 0 ")
                .containsPattern("SEGMENT +total 0 ").containsPattern("ACTIVATION +total 0 ");
    }

    private record Run(int exitCode, String output) {}

    private static Run watch(String... options) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        String[] args = new String[options.length + 4];
        args[0] = "--job";
        args[1] = JOB;
        args[2] = "--bootstrap-servers";
        args[3] = KAFKA.bootstrapServers();
        System.arraycopy(options, 0, args, 4, options.length);
        int exitCode = new CommandLine(new WatchCommand(out)).execute(args);
        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(output); // the view as a terminal would show it, in the test report
        return new Run(exitCode, output);
    }

    private static KafkaProducer<String, byte[]> transactionalProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "watch-it");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<String, byte[]> dlq(int partition, String reason, String payload, long offset) {
        String key = "cdp.events.json:0:" + offset;
        String value = """
                {"reason": "%s", "detail": "rejected in a test",
                 "source": {"topic": "cdp.events.json", "partition": 0, "offset": %d},
                 "payload": %s, "rejectedAt": "2026-11-23T10:00:00Z"}"""
                .formatted(reason, offset, quoted(payload));
        return new ProducerRecord<>(deadLetter, partition, key, utf8(value));
    }

    private static ProducerRecord<String, byte[]> event(int partition, String messageId, String type, String name,
            String email) {
        String value = """
                {"messageId": "%s", "type": "%s", "eventTime": "2026-11-23T10:00:00Z", "event": %s,
                 "channel": "browser", "identifiers": [{"namespace": "email", "value": "%s"}],
                 "traits": {}, "properties": {}, "consent": {"marketing": true}, "source": {}}"""
                .formatted(messageId, type, name == null ? "null" : quoted(name), email);
        return new ProducerRecord<>(enriched, partition, messageId, utf8(value));
    }

    private static ProducerRecord<String, byte[]> segmentEntered(String profileId) {
        String value = """
                {"type": "segment.entered", "segment": {"id": "retention-offer", "version": 1}, "profileId": "%s",
                 "occurredAt": "2026-11-23T10:02:03Z", "emittedAt": "2026-11-23T10:02:04Z", "sequence": 1,
                 "destinations": ["web-personalisation"], "consent": "personalisation",
                 "reason": {"trigger": "event", "version": 1, "facts": [
                   {"condition": "trait intent_to_cancel equals true", "held": true, "value": true}]}}"""
                .formatted(profileId);
        return new ProducerRecord<>(segmentChanges, 0, profileId, utf8(value));
    }

    /** Serialised by the job's own serializer, in the destination's format, to partition 0 of its topic. */
    private static ProducerRecord<String, byte[]> activation(ActivationSerializer serializer, String destination,
            String type, String segment, Map<String, List<String>> identifiers) {
        boolean entered = type.endsWith("entered");
        String reason = """
                {"trigger": "%s", "consent": {"purpose": "%s", "granted": %b, "source": "stated"}}"""
                .formatted(entered ? "event" : "consent", entered ? "marketing" : "advertising", entered);
        ActivationRecord r = new ActivationRecord(destination, type, segment, 1, "p-1a2b3c4d5e6f708192a3b4c5",
                identifiers, Instant.parse("2026-11-23T10:02:03Z").toEpochMilli(), 1L, reason);
        ProducerRecord<byte[], byte[]> written = serializer.serialize(r, null, null);
        return new ProducerRecord<>(written.topic(), 0, r.getProfileId(), written.value());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
