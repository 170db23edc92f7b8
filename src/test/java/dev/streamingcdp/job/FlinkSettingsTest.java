package dev.streamingcdp.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.testing.TestJobs;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;

/** Settings of job.yaml that become Flink options (the rest of Flink's configuration comes from the cluster). */
class FlinkSettingsTest {

    @Test
    void theDemosBufferTimeoutReachesFlink() {
        Configuration conf = FlinkSettings.of(JobDefinition.load(Path.of("jobs/retail-demo")));
        assertThat(conf.getOptional(ExecutionOptions.BUFFER_TIMEOUT)).contains(Duration.ofMillis(10));
    }

    @Test
    void rocksDbBloomFiltersAreOnUnlessSwitchedOff() {
        Configuration conf = FlinkSettings.of(JobDefinition.load(Path.of("jobs/retail-demo")));
        assertThat(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
    }

    @Test
    void withoutANetworkSectionFlinksDefaultStays() {
        JobDefinition job = TestJobs.retailDemo("127.0.0.1:1", "t", Path.of("/tmp/unused"));
        assertThat(FlinkSettings.of(job).getOptional(ExecutionOptions.BUFFER_TIMEOUT)).isEmpty();
    }
}
