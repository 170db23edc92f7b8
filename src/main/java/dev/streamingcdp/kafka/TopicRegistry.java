package dev.streamingcdp.kafka;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every Kafka topic a job reads or writes, by role: the one place that maps job.yaml to topics. */
public final class TopicRegistry {

    /** What a topic is for; consumers of the job's output pick topics by role. */
    public enum Role {
        EVENTS, DEAD_LETTER, ENRICHED, PROFILES, IDENTITY_FEEDBACK, IDENTITY_AUDIT, SEGMENT_CONTROL, SEGMENT_CHANGES,
        ACTIVATION, PRIVACY_REQUESTS
    }

    /** A topic as the job needs it to exist. */
    public record Topic(String name, Role role, int partitions, Map<String, String> configs) {}

    private TopicRegistry() {}

    public static List<Topic> topics(JobDefinition job) {
        int partitions = job.topics().partitions();
        List<Topic> topics = new ArrayList<>();
        job.topics().events().forEach(t -> topics.add(new Topic(t.name(), Role.EVENTS, partitions, Map.of())));
        topics.add(new Topic(job.topics().deadLetter(), Role.DEAD_LETTER, partitions, Map.of()));
        if (job.topics().enrichedEnabled()) {
            topics.add(new Topic(job.topics().enriched().name(), Role.ENRICHED, partitions, Map.of()));
        }
        // Compacted: a consumer that reads it from the start gets the current profile of everyone.
        topics.add(new Topic(job.topics().profiles(), Role.PROFILES, partitions, Map.of("cleanup.policy", "compact")));
        topics.add(new Topic(job.topics().identityFeedback(), Role.IDENTITY_FEEDBACK, partitions, Map.of()));
        topics.add(new Topic(job.topics().identityAudit(), Role.IDENTITY_AUDIT, partitions, Map.of()));
        // Compacted, keyed by segment id: the latest definition of each segment survives, a tombstone removes one.
        topics.add(new Topic(job.topics().segmentControl(), Role.SEGMENT_CONTROL, 1, Map.of("cleanup.policy", "compact")));
        topics.add(new Topic(job.topics().segmentChanges(), Role.SEGMENT_CHANGES, partitions, Map.of()));
        // One partition, read by one reader: requests apply in the order they were written.
        topics.add(new Topic(job.topics().privacyRequests(), Role.PRIVACY_REQUESTS, 1, Map.of()));
        return List.copyOf(topics);
    }

    /** The job's topics and one activation topic per destination. */
    public static List<Topic> topics(JobDefinition job, Destinations destinations) {
        List<Topic> topics = new ArrayList<>(topics(job));
        destinations.destinations().forEach(d ->
                topics.add(new Topic(d.topic(), Role.ACTIVATION, job.topics().partitions(), Map.of())));
        return List.copyOf(topics);
    }

    public static List<Topic> byRole(JobDefinition job, Role role) {
        return topics(job).stream().filter(t -> t.role() == role).toList();
    }
}
