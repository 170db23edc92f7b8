package dev.streamingcdp.bench;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.job.CdpJob;
import dev.streamingcdp.segment.SegmentCatalog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "full", description = "Run the full job in a local MiniCluster, as `cdp run --local` does, with the "
        + "REST metrics refreshed often enough to time it.")
class FullCommand implements Callable<Integer> {

    @Option(names = "--job", required = true, description = "The prepared job directory.")
    Path jobDir;

    @Option(names = "--web-port", defaultValue = "8081", description = "REST/dashboard port (default: ${DEFAULT-VALUE}).")
    int webPort;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = JobDefinition.load(jobDir);
        StreamExecutionEnvironment env = LocalCluster.environment(job, "bench full: " + job.name(), webPort);
        SegmentCatalog segments = SegmentCatalog.load(jobDir);
        CdpJob.build(env, job, IdentityRules.load(jobDir), segments, Destinations.load(jobDir, segments));
        env.execute();
        return 0;
    }
}
