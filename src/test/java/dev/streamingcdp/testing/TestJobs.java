package dev.streamingcdp.testing;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.JobDefinition.Checkpoint;
import dev.streamingcdp.config.JobDefinition.InputTopic;
import dev.streamingcdp.config.JobDefinition.Kafka;
import dev.streamingcdp.config.JobDefinition.OptionalTopic;
import dev.streamingcdp.config.JobDefinition.Topics;
import java.nio.file.Path;
import java.time.Duration;

/** The shipped retail-demo job, pointed at a test broker with its own topic names, group and checkpoint dir. */
public final class TestJobs {

    private TestJobs() {}

    public static JobDefinition retailDemo(String bootstrap, String testName, Path checkpoints) {
        JobDefinition demo = JobDefinition.load(Path.of("jobs/retail-demo"));
        Topics t = demo.topics();
        Topics topics = new Topics(
                t.events().stream().map(i -> new InputTopic(testName + "." + i.name(), i.format())).toList(),
                testName + "." + t.deadLetter(),
                new OptionalTopic(testName + "." + t.enriched().name(), true),
                testName + "." + t.profiles(), testName + "." + t.identityFeedback(),
                testName + "." + t.identityAudit(), testName + "." + t.segmentControl(),
                testName + "." + t.segmentChanges(), testName + "." + t.privacyRequests(), 2);
        Kafka k = demo.kafka();
        Kafka kafka = new Kafka(bootstrap, testName, testName, k.startingOffsets(), Duration.ofMinutes(5),
                k.properties());
        Checkpoint checkpoint = new Checkpoint(Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ZERO,
                checkpoints.toUri().toString());
        return new JobDefinition(demo.name(), 2, kafka, topics, demo.delivery(), checkpoint, demo.state(),
                demo.ingest(), demo.profiles(), demo.segments(), demo.privacy());
    }
}
