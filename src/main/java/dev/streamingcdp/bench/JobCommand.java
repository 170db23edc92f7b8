package dev.streamingcdp.bench;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.job.CdpJob;
import dev.streamingcdp.segment.SegmentCatalog;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "job", description = "Run the full job (as `cdp run --local` does) or, with --baseline, the bare "
        + "baseline job (Kafka, JSON parse, keyBy, RocksDB counter, Kafka) in a local MiniCluster, with the job's "
        + "broker, parallelism, delivery and checkpointing, and REST metrics refreshed often enough to time it.")
class JobCommand implements Callable<Integer> {

    @Mixin
    JobDirOption prepared;

    @Option(names = "--baseline", description = "Run the bare baseline job instead of the full job.")
    boolean baseline;

    @Option(names = "--web-port", defaultValue = "8081", description = "REST/dashboard port (default: ${DEFAULT-VALUE}).")
    int webPort;

    @Override
    public Integer call() throws Exception {
        JobDefinition definition = JobDefinition.load(prepared.jobDir);
        String kind = baseline ? "baseline" : "full";
        StreamExecutionEnvironment env = LocalCluster.environment(definition,
                "bench " + kind + ": " + definition.name(), webPort);
        if (baseline) {
            BaselineJob.build(env, definition);
        } else {
            SegmentCatalog segments = SegmentCatalog.load(prepared.jobDir);
            CdpJob.build(env, definition, IdentityRules.load(prepared.jobDir), segments,
                    Destinations.load(prepared.jobDir, segments));
        }
        env.execute();
        return 0;
    }
}
