package dev.streamingcdp.bench;

import dev.streamingcdp.config.JobDefinition;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "baseline", description = "Run the bare baseline job (Kafka, JSON parse, keyBy, RocksDB counter, "
        + "Kafka) in a local MiniCluster, with the job's broker, parallelism, delivery and checkpointing.")
class BaselineCommand implements Callable<Integer> {

    @Option(names = "--job", required = true, description = "The prepared job directory.")
    Path jobDir;

    @Option(names = "--web-port", defaultValue = "8081", description = "REST/dashboard port (default: ${DEFAULT-VALUE}).")
    int webPort;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = JobDefinition.load(jobDir);
        StreamExecutionEnvironment env = LocalCluster.environment(job, "bench baseline: " + job.name(), webPort);
        BaselineJob.build(env, job);
        env.execute();
        return 0;
    }
}
