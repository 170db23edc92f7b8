package dev.streamingcdp.cli;

import dev.streamingcdp.config.JobDefinition;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command shares: which job directory, and optionally another broker. */
public class JobOptions {

    @Option(names = "--job", defaultValue = "jobs/retail-demo",
            description = "Job directory with job.yaml (default: ${DEFAULT-VALUE}).")
    Path jobDir;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers, overriding job.yaml.")
    String bootstrapServers;

    public JobDefinition load() {
        JobDefinition job = JobDefinition.load(jobDir);
        return bootstrapServers == null ? job : job.withBootstrapServers(bootstrapServers);
    }
}
