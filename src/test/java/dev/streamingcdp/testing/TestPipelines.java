package dev.streamingcdp.testing;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.job.CdpJob;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.job.FlinkSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Starts the real job on the test's MiniCluster and feeds its input topics. */
public final class TestPipelines {

    /** One input record: topic, key, raw bytes. */
    public record Input(String topic, String key, byte[] value) {}

    private TestPipelines() {}

    /** A MiniCluster of one TaskManager (so a test can kill it) with this many slots. */
    public static MiniClusterExtension miniCluster(int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(slots).build());
    }

    /** The whole job without identity rules. */
    public static JobClient start(JobDefinition job) throws Exception {
        return start(job, IdentityRules.none());
    }

    /** The whole job with the retail demo's segments. */
    public static JobClient start(JobDefinition job, IdentityRules rules) throws Exception {
        return start(job, rules, SegmentCatalog.load(Path.of("jobs/retail-demo")));
    }

    /** The whole job as `cdp run` builds it, restarting quickly after a failure. */
    public static JobClient start(JobDefinition job, IdentityRules rules, SegmentCatalog segments) throws Exception {
        return start(job, rules, segments, new Destinations(List.of(), Map.of()));
    }

    /** The whole job with activation to {@code destinations} (give them the test's topic prefix). */
    public static JobClient start(JobDefinition job, IdentityRules rules, SegmentCatalog segments,
            Destinations destinations) throws Exception {
        return start(job, rules, segments, destinations, new Configuration());
    }

    /** As {@link #start(JobDefinition, IdentityRules)}, resumed from a savepoint (or a retained checkpoint). */
    public static JobClient startFrom(JobDefinition job, IdentityRules rules, String savepoint) throws Exception {
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        return start(job, rules, SegmentCatalog.load(Path.of("jobs/retail-demo")),
                new Destinations(List.of(), Map.of()), restore);
    }

    private static JobClient start(JobDefinition job, IdentityRules rules, SegmentCatalog segments,
            Destinations destinations, Configuration extra) throws Exception {
        Configuration conf = FlinkSettings.of(job);
        conf.addAll(extra);
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "10");
        conf.setString("restart-strategy.fixed-delay.delay", "500ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.configure(conf);
        CdpJob.build(env, job, rules, segments, destinations);
        return env.executeAsync(conf.get(PipelineOptions.NAME));
    }

    /**
     * In order and acknowledged, but not idempotent: the in-JVM broker under a loaded MiniCluster was seen answering an
     * idempotent producer with OutOfOrderSequence for two minutes. A resent record is a duplicate the job removes.
     * Returns where each input was written, in input order.
     */
    public static List<RecordMetadata> produce(String bootstrap, List<Input> inputs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144"); // one in-flight request at a time: make it count
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        // Every record must be in the topic before a test goes on: a lost input would look like a bug of the job.
        List<Future<RecordMetadata>> sent = new ArrayList<>(inputs.size());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            inputs.forEach(i -> sent.add(producer.send(new ProducerRecord<>(i.topic(), i.key(), i.value()))));
        }
        List<RecordMetadata> written = new ArrayList<>(inputs.size());
        for (Future<RecordMetadata> f : sent) {
            try {
                written.add(f.get());
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("a test input was not written to Kafka", e);
            }
        }
        return written;
    }
}
