package dev.streamingcdp.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.apache.flink.runtime.metrics.groups.FrontMetricGroup;
import org.apache.flink.runtime.metrics.groups.ReporterScopedSettings;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.junit.jupiter.api.Test;

/** Ports 45249-45259 on 127.0.0.1. */
class LoopbackPrometheusReporterTest {

    @Test
    void servesFlinkMetricsOnLoopbackOnlyByDefault() throws Exception {
        LoopbackPrometheusReporter reporter = create(null, "45249-45251");
        try {
            SimpleCounter counter = new SimpleCounter();
            counter.inc(42);
            reporter.notifyOfAddedMetric(counter, "loopbackTestEvents", taskManagerGroup());
            int port = reporter.address().getPort();

            assertThat(reporter.address().getAddress().isLoopbackAddress()).as("bound address %s", reporter.address())
                    .isTrue();
            assertThat(scrape("http://127.0.0.1:" + port + "/metrics"))
                    .containsPattern("(?m)^flink_taskmanager_loopbackTestEvents\\{.*\\} 42\\.0$");
            for (InetAddress address : nonLoopbackAddresses()) {
                assertThatThrownBy(() -> connect(address, port)).as("connect to %s:%d", address, port)
                        .isInstanceOf(ConnectException.class);
            }
        } finally {
            reporter.close();
        }
    }

    @Test
    void takesTheFirstFreePortOfTheRange() throws Exception {
        try (ServerSocket taken = new ServerSocket(45252, 1, InetAddress.getLoopbackAddress())) {
            LoopbackPrometheusReporter reporter = create("127.0.0.1", "45252-45254");
            try {
                assertThat(reporter.address().getPort()).isEqualTo(45253);
            } finally {
                reporter.close();
            }
        }
    }

    @Test
    void closeStopsTheServer() throws Exception {
        LoopbackPrometheusReporter reporter = create("127.0.0.1", "45255");
        reporter.close();

        assertThatThrownBy(() -> connect(InetAddress.getLoopbackAddress(), 45255))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void flinkFindsTheFactoryAsAService() {
        assertThat(ServiceLoader.load(MetricReporterFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(LoopbackPrometheusReporterFactory.class);
    }

    private static LoopbackPrometheusReporter create(String host, String ports) {
        Properties config = new Properties();
        if (host != null) {
            config.setProperty(LoopbackPrometheusReporterFactory.HOST, host);
        }
        config.setProperty(LoopbackPrometheusReporterFactory.PORT, ports);
        return new LoopbackPrometheusReporterFactory().createMetricReporter(config);
    }

    // What Flink hands a reporter: a TaskManager's group behind the reporter's view of it.
    private static FrontMetricGroup<?> taskManagerGroup() {
        return new FrontMetricGroup<>(new ReporterScopedSettings<>(0, '.', ReporterFilter.getNoOpFilter(), Set.of(),
                Map.of()), UnregisteredMetricGroups.createUnregisteredTaskManagerMetricGroup());
    }

    private static String scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
    }
}
