package dev.streamingcdp.bench;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.job.FlinkSettings;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The MiniCluster a benchmark job runs in: the job's own settings, REST on loopback, fresh metrics. */
final class LocalCluster {

    /**
     * The REST metrics are cached for 10 s by default: too coarse to time a backlog of a minute. Much finer costs the
     * job itself CPU (the metric dump showed among the hot methods at 500 ms).
     */
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(1);

    private LocalCluster() {}

    static StreamExecutionEnvironment environment(JobDefinition job, String name, int webPort) {
        Configuration conf = FlinkSettings.of(job);
        conf.set(org.apache.flink.configuration.PipelineOptions.NAME, name);
        FlinkSettings.localCluster(conf, job);
        conf.set(RestOptions.PORT, webPort);
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, METRICS_REFRESH);
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    }
}
