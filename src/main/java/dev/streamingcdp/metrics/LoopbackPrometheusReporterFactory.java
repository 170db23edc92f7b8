package dev.streamingcdp.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * Creates a {@link LoopbackPrometheusReporter} from {@code metrics.reporter.<name>.host} (default 127.0.0.1) and
 * {@code metrics.reporter.<name>.port} (a port or a range like 9249-9259; default 9249, as the stock reporter).
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {

    static final String HOST = "host";
    static final String PORT = "port";

    @Override
    public LoopbackPrometheusReporter createMetricReporter(Properties properties) {
        return new LoopbackPrometheusReporter(properties.getProperty(HOST, "127.0.0.1"),
                new PortRange(properties.getProperty(PORT, "9249")));
    }
}
