package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.MergeOffer;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.ProfileTopic;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import dev.streamingcdp.testing.TopicReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phantom case of the feedback loop, which is written at-least-once and read at once: a merge runs through the
 * loop after a checkpoint, then the job fails before the next one. The restored job must not act on what the failed
 * execution wrote to the loop after that checkpoint. To make the phantoms tell, the linking event is gone from the
 * input when the job restarts (as if the history after the checkpoint had gone differently): the restored job must
 * keep the two profiles apart, although the feedback topic holds the whole merge the failed execution ran.
 */
class PhantomFeedbackIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @TempDir
    static Path savepoints;

    @Test
    void aRestoredJobIgnoresTheMergeItsFailedExecutionRanAfterTheCheckpoint() throws Exception {
        JobDefinition demo = TestJobs.retailDemo(KAFKA.bootstrapServers(), "phantom", checkpoints);
        // No checkpoint of its own between the savepoint and the failure: the savepoint is the restore point.
        JobDefinition job = new JobDefinition(demo.name(), demo.parallelism(), demo.kafka(), demo.topics(),
                JobDefinition.DeliveryGuarantee.EXACTLY_ONCE,
                new JobDefinition.Checkpoint(Duration.ofHours(1), null, null, demo.checkpoint().dir()),
                demo.state(), demo.ingest(), demo.profiles(), demo.segments());
        KAFKA.createTopics(job);
        String input = job.topics().events().get(0).name();
        String feedback = job.topics().identityFeedback();
        String cookieProfile = ProfileId.of(new Identifier("anonymous_id", "cookie-p"));
        String userProfile = ProfileId.of(new Identifier("user_id", "u-p"));

        JobClient first = TestPipelines.start(job);
        String savepoint;
        List<ConsumerRecord<byte[], byte[]>> phantoms;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()))) {
            send(input, event("page", "p-1").put("anonymousId", "cookie-p"));
            var identify = event("identify", "p-2").put("userId", "u-p");
            identify.putObject("traits").put("email", "p@example.com");
            send(input, identify);
            awaitFeedback(feedback, 1); // the e-mail claimed: the job has read both events
            Thread.sleep(2_000);
            savepoint = first.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
            Map<TopicPartition, Long> atSavepoint = endOffsets(admin, feedback); // all it wrote before is flushed

            RecordMetadata link = send(input, event("identify", "p-3").put("anonymousId", "cookie-p")
                    .put("userId", "u-p"));
            Thread.sleep(5_000); // the merge runs to its end in the execution about to fail
            phantoms = TopicReader.readAll(KAFKA.bootstrapServers(), feedback, Duration.ofSeconds(1)).stream()
                    .filter(r -> r.offset() >= atSavepoint.get(new TopicPartition(r.topic(), r.partition())))
                    .toList();
            first.cancel().get(); // fails before a checkpoint: what it did after the savepoint is rolled back

            admin.deleteRecords(Map.of(new TopicPartition(link.topic(), link.partition()),
                    RecordsToDelete.beforeOffset(link.offset() + 1))).all().get();
        } catch (Exception | AssertionError e) {
            first.cancel();
            throw e;
        }
        assertThat(phantoms).as("the failed execution ran the merge through the loop after the savepoint")
                .anyMatch(r -> decode(r).getCommand() instanceof ProfileCommand p && p.getBody() instanceof MergeOffer);

        JobClient second = TestPipelines.startFrom(job, IdentityRules.none(), savepoint);
        try {
            // A new event's claim, written by the restored execution, shows it runs and reads the loop; the
            // phantoms sit before it in the topic, and a moment more lets every partition's reader pass them.
            String failedExecution = writer(phantoms.get(0));
            var marker = event("identify", "p-4").put("userId", "u-m");
            marker.putObject("traits").put("email", "m@example.com");
            send(input, marker);
            TopicReader.readUntil(KAFKA.bootstrapServers(), feedback,
                    r -> r.stream().anyMatch(m -> writer(m) != null && !writer(m).equals(failedExecution)),
                    Duration.ofSeconds(90));
            Thread.sleep(3_000);
            // Without the filter the restored job replayed the merge from its middle and its survivor went on
            // offering itself to itself, twice a second (seen once, with the filter switched off).
            assertThat(TopicReader.readAll(KAFKA.bootstrapServers(), feedback, Duration.ofSeconds(1)))
                    .as("merge steps written by the restored job")
                    .filteredOn(r -> writer(r) != null && !writer(r).equals(failedExecution))
                    .noneMatch(r -> decode(r).getCommand() instanceof ProfileCommand p
                            && p.getBody() instanceof MergeOffer);
            second.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(); // commits

            Map<String, JsonNode> profiles = ProfileTopic.readUntil(KAFKA.bootstrapServers(), job.topics().profiles(),
                    p -> p.containsKey(cookieProfile) && p.containsKey(userProfile), Duration.ofSeconds(30));
            assertThat(profiles).as("no merge on the profile topic: the phantoms were dropped")
                    .containsKeys(cookieProfile, userProfile);
            assertThat(profiles.get(userProfile).toString()).doesNotContain("cookie-p");
            assertThat(TopicReader.readAll(KAFKA.bootstrapServers(), job.topics().profiles(), Duration.ofSeconds(2)))
                    .noneMatch(r -> r.value() != null
                            && new String(r.value(), StandardCharsets.UTF_8).contains("profile.merged"));
        } finally {
            second.cancel().get();
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode event(String type, String messageId) {
        return JSON.createObjectNode().put("type", type).put("messageId", messageId)
                .put("timestamp", Instant.now().toString());
    }

    /** To partition 0, so the test knows where the linking event is to delete it. */
    private static RecordMetadata send(String topic, JsonNode event) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            return producer.send(new ProducerRecord<>(topic, 0, event.path("messageId").asText(),
                    event.toString().getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitFeedback(String topic, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> read = TopicReader.readUntil(KAFKA.bootstrapServers(), topic,
                r -> r.size() >= atLeast, Duration.ofSeconds(60));
        assertThat(read).as("feedback messages").hasSizeGreaterThanOrEqualTo(atLeast);
        return read;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static String writer(ConsumerRecord<byte[], byte[]> r) {
        var h = r.headers().lastHeader("cdp-writer");
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static FeedbackMessage decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return FeedbackMessage.fromByteBuffer(ByteBuffer.wrap(r.value()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
