package dev.streamingcdp.testing;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.ServerSocketFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-JVM Kafka broker (KRaft, one combined broker and controller) for the integration tests of one class,
 * listening on 127.0.0.1 only, with replication settings a single broker can satisfy, so transactions work.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final KafkaBroker KAFKA = new KafkaBroker();          // or .withConfig("log.retention.ms", "-1")
 * ... KAFKA.bootstrapServers() ...
 * </pre>
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    // One broker: internal topics and ISRs of one replica; group consumers in tests need not wait for a rebalance.
    private final Map<String, String> config = new LinkedHashMap<>(Map.of(
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1",
            "min.insync.replicas", "1",
            "group.initial.rebalance.delay.ms", "0"));

    private KafkaClusterTestKit cluster;

    /** A broker setting on top of the defaults above; call before the tests start. */
    public KafkaBroker withConfig(String key, String value) {
        config.put(key, value);
        return this;
    }

    /** Only valid while the test class runs. */
    public String bootstrapServers() {
        if (cluster == null) {
            throw new IllegalStateException("the broker runs only during the tests of the class that registers it "
                    + "(register it on a static field)");
        }
        return cluster.bootstrapServers();
    }

    /** Stops the broker (its controller stays), as a broker lost mid-run; afterAll still closes the rest. */
    public void stopBroker() {
        cluster.brokers().values().forEach(b -> b.shutdown());
    }

    /** Creates every topic the job needs, as `bin/cdp topics` does. */
    public void createTopics(JobDefinition job) throws Exception {
        TopicAdmin.createMissing(bootstrapServers(), Map.of(), TopicRegistry.topics(job));
    }

    public void createTopics(JobDefinition job, Destinations destinations) throws Exception {
        TopicAdmin.createMissing(bootstrapServers(), Map.of(), TopicRegistry.topics(job, destinations));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        String broker = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        // advertised as 127.0.0.1 too, where the sockets below listen (not "localhost", which may mean ::1)
        builder.setConfigProp("listeners", broker + "://127.0.0.1:0," + controller + "://127.0.0.1:0");
        config.forEach(builder::setConfigProp);
        bindToLoopback(builder, nodes);
        cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            afterAll(context);
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            try {
                cluster.close();
            } finally {
                cluster = null;
            }
        }
    }

    /**
     * The test kit pre-binds every node's listener port on the wildcard address, whatever "listeners" says. Handing
     * it sockets bound to loopback first (it reuses a pre-bound socket per node and listener) keeps the broker private
     * to this machine. Reflection, because the kit offers no hook; its close() also closes these sockets.
     */
    @SuppressWarnings("unchecked")
    private static void bindToLoopback(KafkaClusterTestKit.Builder builder, TestKitNodes nodes)
            throws ReflectiveOperationException, IOException {
        Field managerField = KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
        managerField.setAccessible(true);
        PreboundSocketFactoryManager manager = (PreboundSocketFactoryManager) managerField.get(builder);
        Field socketsField = PreboundSocketFactoryManager.class.getDeclaredField("sockets");
        socketsField.setAccessible(true);
        Map<Integer, Map<String, ServerSocketChannel>> sockets =
                (Map<Integer, Map<String, ServerSocketChannel>>) socketsField.get(manager);
        for (int id : nodes.controllerNodes().keySet()) {
            preBind(sockets, id, nodes.controllerListenerName().value());
        }
        for (int id : nodes.brokerNodes().keySet()) {
            preBind(sockets, id, nodes.brokerListenerName().value());
        }
    }

    private static void preBind(Map<Integer, Map<String, ServerSocketChannel>> sockets, int node, String listener)
            throws IOException {
        ServerSocketChannel socket = ServerSocketFactory.INSTANCE.openServerSocket(listener,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), -1, -1);
        sockets.computeIfAbsent(node, k -> new HashMap<>()).put(listener, socket);
    }
}
