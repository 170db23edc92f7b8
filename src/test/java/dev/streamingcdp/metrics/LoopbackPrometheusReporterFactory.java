package dev.streamingcdp.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Properties;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.NetUtils;

/**
 * Flink's Prometheus reporter (the same names, labels and exposition), but serving on 127.0.0.1 only: Flink's
 * PrometheusReporter binds every interface and has no host option, and a test must not open ports to the network.
 * Configured like it: {@code metrics.reporter.<name>.port} is a port or a range, the first free one is taken.
 */
public class LoopbackPrometheusReporterFactory implements MetricReporterFactory {

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new Reporter(properties.getProperty("port", "9249"));
    }

    static final class Reporter extends AbstractPrometheusReporter {
        private final HTTPServer server;

        Reporter(String ports) {
            server = serve(registry(this), ports);
        }

        @Override
        public void close() {
            server.stop();
            super.close();
        }

        private static HTTPServer serve(CollectorRegistry registry, String ports) {
            for (Iterator<Integer> it = NetUtils.getPortRangeFromString(ports); it.hasNext(); ) {
                try {
                    return new HTTPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), it.next()),
                            registry, true);
                } catch (IOException taken) {
                    // try the next port of the range
                }
            }
            throw new IllegalStateException("no free port in " + ports);
        }

        /** The reporter's own registry; package-private in AbstractPrometheusReporter, which serves it itself. */
        private static CollectorRegistry registry(AbstractPrometheusReporter reporter) {
            try {
                Field registry = AbstractPrometheusReporter.class.getDeclaredField("registry");
                registry.setAccessible(true);
                return (CollectorRegistry) registry.get(reporter);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("flink-metrics-prometheus changed: no registry field", e);
            }
        }
    }
}
