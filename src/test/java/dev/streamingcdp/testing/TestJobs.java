package dev.streamingcdp.testing;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.JobDefinition.Checkpoint;
import dev.streamingcdp.config.JobDefinition.InputTopic;
import dev.streamingcdp.config.JobDefinition.Kafka;
import dev.streamingcdp.config.JobDefinition.OptionalTopic;
import dev.streamingcdp.config.JobDefinition.Topics;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The shipped retail-demo job, pointed at a test broker with its own topic names, group and checkpoint dir.
 * Make the checkpoint dir a static {@code @TempDir}: it is then deleted after the MiniCluster stops, not while a
 * cancelled job may still be writing or discarding checkpoints in it (which fails the directory's cleanup).
 */
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
                ingest(demo.ingest(), demo.ingest().watermarks().idleness()), demo.profiles(), demo.segments(),
                demo.privacy());
    }

    /**
     * The tests write fixed event times (2026-11-23 and around): the bound on timestamps ahead of the Kafka record's
     * is widened so that they pass whenever they run. IngestClockTest checks the bound itself.
     */
    private static JobDefinition.Ingest ingest(JobDefinition.Ingest i, Duration idleness) {
        return new JobDefinition.Ingest(i.maxPayloadBytes(), i.dedupHorizon(),
                new JobDefinition.Watermarks(i.watermarks().outOfOrderness(), idleness), i.defaultPhoneRegion(),
                i.previousIdNamespace(), i.maxTraitChars(), i.maxIdentifierChars(), Duration.ofDays(3650));
    }

    /**
     * As {@link #retailDemo}, but an input partition without events stops holding back event time after
     * {@code idleness}: a test that moves event time by sending to some partitions need not wait the demo's 30 s.
     */
    public static JobDefinition retailDemo(String bootstrap, String testName, Path checkpoints, Duration idleness) {
        JobDefinition job = retailDemo(bootstrap, testName, checkpoints);
        return new JobDefinition(job.name(), job.parallelism(), job.kafka(), job.topics(), job.delivery(),
                job.checkpoint(), job.state(), ingest(job.ingest(), idleness), job.profiles(), job.segments());
    }
}
