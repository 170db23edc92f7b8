package dev.streamingcdp.cli;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "topics", description = "Create the job's Kafka topics that are missing (safe to run again).")
public class TopicsCommand implements Callable<Integer> {

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = options.load();
        List<TopicRegistry.Topic> topics = TopicRegistry.topics(job,
                Destinations.load(options.jobDir, SegmentCatalog.load(options.jobDir)));
        List<String> created = TopicAdmin.createMissing(job.kafka().bootstrapServers(), job.kafka().properties(), topics);
        for (TopicRegistry.Topic t : topics) {
            System.out.printf("%-36s %-16s %s%n", t.name(), t.role(), created.contains(t.name()) ? "created" : "exists");
        }
        return 0;
    }
}
