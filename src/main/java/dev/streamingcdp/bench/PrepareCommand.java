package dev.streamingcdp.bench;

import dev.streamingcdp.config.JobDefinition.DeliveryGuarantee;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prepare", description = "Copy a job directory for one benchmark phase (broker, delivery, "
        + "checkpoint directory, generated window segments and the probe segment).")
class PrepareCommand implements Callable<Integer> {

    @Option(names = "--job", defaultValue = "jobs/retail-demo", description = "Job to copy (default: ${DEFAULT-VALUE}).")
    Path job;

    @Option(names = "--out", required = true, description = "The copy (must not exist).")
    Path out;

    @Option(names = "--bootstrap-servers", required = true)
    String bootstrapServers;

    @Option(names = "--delivery", description = "EXACTLY_ONCE or AT_LEAST_ONCE (default: as in job.yaml).")
    DeliveryGuarantee delivery;

    @Option(names = "--checkpoint-dir", required = true)
    Path checkpointDir;

    @Option(names = "--checkpoint-interval", description = "e.g. 60s (default: as in job.yaml).")
    String checkpointInterval;

    @Option(names = "--window-segments", defaultValue = "4",
            description = "Generated segments with event windows (default: ${DEFAULT-VALUE}).")
    int windowSegments;

    @Option(names = "--probe-destination", defaultValue = "email-marketing",
            description = "Destination the latency probe segment feeds (default: ${DEFAULT-VALUE}).")
    String probeDestination;

    @Option(names = "--store-jdbc-url", description = "A profile store for the job to write (user postgres; default:"
            + " as in job.yaml).")
    String storeJdbcUrl;

    @Override
    public Integer call() {
        DeliveryGuarantee d = delivery != null ? delivery : dev.streamingcdp.config.JobDefinition.load(job).delivery();
        BenchJobDir.write(job, out, bootstrapServers, d, checkpointDir.toAbsolutePath(), checkpointInterval,
                windowSegments, probeDestination, storeJdbcUrl);
        System.out.printf("prepared %s (%s, %d window segments%s)%n", out, d, windowSegments,
                storeJdbcUrl != null ? ", profile store " + storeJdbcUrl : "");
        return 0;
    }
}
