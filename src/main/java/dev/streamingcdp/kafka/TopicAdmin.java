package dev.streamingcdp.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the job's topics that do not exist yet; running it again changes nothing. */
public final class TopicAdmin {

    private TopicAdmin() {}

    /** Returns the names of the topics it created. */
    public static List<String> createMissing(String bootstrapServers, Map<String, String> clientProperties,
            List<TopicRegistry.Topic> topics) throws ExecutionException, InterruptedException {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }
}
