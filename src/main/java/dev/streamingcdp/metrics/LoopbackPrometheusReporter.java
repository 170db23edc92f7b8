package dev.streamingcdp.metrics;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter, serving {@code /metrics} on one host address: the stock PrometheusReporter listens on
 * all interfaces and has no option to change that. Takes the first free port of a range, as the stock one does.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {

    private final HttpServer server;
    private final HTTPServer exporter;

    LoopbackPrometheusReporter(String host, PortRange ports) {
        server = bindFirstFree(host, ports);
        try {
            // daemon threads: a process whose reporter was never closed still exits
            exporter = new HTTPServer(server, registry(), true);
        } catch (IOException e) {
            server.stop(0);
            throw new IllegalStateException("Could not start the Prometheus HTTP server on " + address(), e);
        }
        log.info("Prometheus metrics on http://{}:{}/metrics", host, address().getPort());
    }

    /** The address the HTTP server is bound to. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        exporter.stop();
        super.close();
    }

    private HttpServer bindFirstFree(String host, PortRange ports) {
        Iterator<Integer> candidates = ports.getPortsIterator();
        while (candidates.hasNext()) {
            int port = candidates.next();
            try {
                return HttpServer.create(new InetSocketAddress(host, port), 3);
            } catch (IOException e) {
                log.debug("Port {} of {} is taken", port, host, e);
            }
        }
        throw new IllegalStateException("No free port for the Prometheus reporter on " + host + " in " + ports);
    }

    // The registry the superclass fills with Flink's metrics is package-private and has no getter; the stock
    // reporter reads it from inside the package, which a class of ours cannot.
    private CollectorRegistry registry() {
        try {
            Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
            field.setAccessible(true);
            return (CollectorRegistry) field.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("AbstractPrometheusReporter has no field 'registry' (a Flink upgrade?)", e);
        }
    }
}
