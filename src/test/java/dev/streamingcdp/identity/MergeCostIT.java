package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.testing.KafkaBroker;
import dev.streamingcdp.testing.TestJobs;
import dev.streamingcdp.testing.TestPipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Measures (and prints; timings are not asserted) what a merge costs against the common path: the time from the
 * event that links a known cookie to a customer until the customer's profile holds the cookie's history, and the time
 * from a later event on the cookie until the customer's profile counts it. Checkpoints every 500 ms.
 */
class MergeCostIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 5;

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestPipelines.miniCluster(2);

    @TempDir
    static Path checkpoints;

    @ParameterizedTest
    @EnumSource(JobDefinition.DeliveryGuarantee.class)
    void mergeAndCommonPathLatency(JobDefinition.DeliveryGuarantee delivery) throws Exception {
        JobDefinition demo = TestJobs.retailDemo(KAFKA.bootstrapServers(), "cost-" + delivery, checkpoints);
        JobDefinition job = new JobDefinition(demo.name(), demo.parallelism(), demo.kafka(), demo.topics(), delivery,
                demo.checkpoint(), demo.state(), demo.ingest(), demo.profiles(), demo.segments());
        KAFKA.createTopics(job);
        String topic = job.topics().events().get(0).name();
        JobClient client = TestPipelines.start(job);
        try (ProfileWatch watch = new ProfileWatch(KAFKA.bootstrapServers(), job.topics().profiles())) {
            long mergeTotal = 0;
            long commonTotal = 0;
            for (int round = 0; round < ROUNDS; round++) {
                String cookie = "cookie-" + round;
                String user = "u-" + round;
                String userProfile = ProfileId.of(new Identifier("user_id", user));
                send(topic, "page", cookie, null, "v" + round);
                watch.await(p -> p.containsKey(ProfileId.of(new Identifier("anonymous_id", cookie))));

                long linked = System.nanoTime();
                send(topic, "identify", cookie, user, "l" + round);
                watch.await(p -> p.containsKey(userProfile) && p.get(userProfile).at("/eventCounts/page").asInt() == 1);
                long merged = System.nanoTime();

                send(topic, "page", cookie, null, "c" + round);
                watch.await(p -> p.containsKey(userProfile) && p.get(userProfile).at("/eventCounts/page").asInt() == 2);
                long counted = System.nanoTime();

                mergeTotal += merged - linked;
                commonTotal += counted - merged;
            }
            System.out.printf("identity cost (%s, checkpoint every %s): merge %d ms, common path %d ms (mean of %d)%n",
                    delivery, job.checkpoint().interval(), mergeTotal / ROUNDS / 1_000_000,
                    commonTotal / ROUNDS / 1_000_000, ROUNDS);
            assertThat(mergeTotal).isPositive();
        } finally {
            client.cancel().get();
        }
    }

    private static void send(String topic, String type, String cookie, String user, String messageId) {
        var e = JSON.createObjectNode().put("type", type).put("messageId", messageId)
                .put("timestamp", Instant.now().toString()).put("anonymousId", cookie);
        if (user != null) {
            e.put("userId", user);
        }
        TestPipelines.produce(KAFKA.bootstrapServers(), List.of(new TestPipelines.Input(topic, cookie,
                e.toString().getBytes(StandardCharsets.UTF_8))));
    }

    /** One consumer kept open and polled often, so the measurement is the job's latency, not the reader's. */
    private static final class ProfileWatch implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, JsonNode> profiles = new HashMap<>();

        ProfileWatch(String bootstrap, String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(props);
            consumer.assign(consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList());
        }

        void await(Predicate<Map<String, JsonNode>> done) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done.test(profiles) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    JsonNode v = r.value() == null ? null : JSON.readTree(r.value());
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (v != null && "profile.snapshot".equals(v.path("type").asText())) {
                        profiles.put(key, v);
                    } else {
                        profiles.remove(key);
                    }
                }
            }
            assertThat(done.test(profiles)).as("reached in time").isTrue();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
