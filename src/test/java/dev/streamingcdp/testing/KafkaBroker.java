package dev.streamingcdp.testing;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft broker inside the test JVM, on loopback, for one test class:
 * {@code @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();}
 */
public class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    private KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
        // One node: every internal topic must be satisfied by a single replica.
        for (String key : new String[] {"offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
                "share.coordinator.state.topic.min.isr"}) {
            builder.setConfigProp(key, "1");
        }
        builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
        builder.setConfigProp("auto.create.topics.enable", "false");
        cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates every topic the job needs (as `bin/cdp topics` does). */
    public void createTopics(JobDefinition job) throws Exception {
        TopicAdmin.createMissing(bootstrapServers(), Map.of(), TopicRegistry.topics(job));
    }
}
