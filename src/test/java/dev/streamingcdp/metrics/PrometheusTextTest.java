package dev.streamingcdp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.metrics.PrometheusText.Sample;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test's reader of the Prometheus text format, on lines as Flink's reporter writes them. */
class PrometheusTextTest {

    @Test
    void readsNamesLabelsAndValuesAndSkipsComments() {
        String text = """
                # HELP flink_jobmanager_numRunningJobs numRunningJobs (scope: jobmanager)
                # TYPE flink_jobmanager_numRunningJobs gauge
                flink_jobmanager_numRunningJobs{host="localhost",} 1.0
                flink_x_records{destination="web_personalisation",job_name="streaming_cdp:_a\\"b\\\\c",} 3.0
                flink_x_latency{quantile="0.5",} NaN
                up 1 1700000000000
                """;
        assertThat(PrometheusText.parse(text)).containsExactly(
                new Sample("flink_jobmanager_numRunningJobs", Map.of("host", "localhost"), 1.0),
                new Sample("flink_x_records", Map.of("destination", "web_personalisation",
                        "job_name", "streaming_cdp:_a\"b\\c"), 3.0),
                new Sample("flink_x_latency", Map.of("quantile", "0.5"), Double.NaN),
                new Sample("up", Map.of(), 1.0));
    }
}
