package dev.streamingcdp.cli;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.job.CdpJob;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.job.FlinkSettings;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Run the job: on the cluster it is submitted to, or in a local MiniCluster.")
public class RunCommand implements Callable<Integer> {

    @Mixin
    JobOptions options;

    @Option(names = "--local", description = "Run in a local MiniCluster with the Flink web dashboard.")
    boolean local;

    @Option(names = "--web-port", defaultValue = "8081", description = "Dashboard port with --local (default: ${DEFAULT-VALUE}).")
    int webPort;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = options.load();
        Configuration conf = FlinkSettings.of(job);
        StreamExecutionEnvironment env;
        if (local) {
            FlinkSettings.localCluster(conf, job);
            conf.set(RestOptions.PORT, webPort);
            LocalTempDir.use(conf);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            System.out.printf("Flink dashboard: http://127.0.0.1:%d%n", webPort);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        SegmentCatalog segments = SegmentCatalog.load(options.jobDir);
        CdpJob.build(env, job, IdentityRules.load(options.jobDir), segments,
                Destinations.load(options.jobDir, segments));
        env.execute(conf.get(org.apache.flink.configuration.PipelineOptions.NAME));
        return 0;
    }
}
