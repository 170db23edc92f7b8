package dev.streamingcdp.collect;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** The collector's Prometheus metrics, in a registry of its own (so tests and embedding see only these). */
public final class CollectorMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("cdp_collector_requests_total")
            .help("HTTP requests by path and status").labelNames("path", "status").register(registry);
    private final Counter accepted = Counter.builder().name("cdp_collector_events_accepted_total")
            .help("Events acknowledged by Kafka, by source").labelNames("source").register(registry);
    private final Counter rejected = Counter.builder().name("cdp_collector_requests_rejected_total")
            .help("Requests refused, by reason").labelNames("reason").register(registry);
    private final Counter bytes = Counter.builder().name("cdp_collector_request_bytes_total")
            .help("Request body bytes after decompression").register(registry);
    private final Histogram kafkaSend = Histogram.builder().name("cdp_collector_kafka_send_seconds")
            .help("Time from the first send of a request's events to the last acknowledgement")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .register(registry);
    private final Gauge inFlight = Gauge.builder().name("cdp_collector_in_flight_events")
            .help("Events received and not yet acknowledged").register(registry);

    public void request(String path, int status) {
        requests.labelValues(path, String.valueOf(status)).inc();
    }

    public void accepted(String source, int events) {
        accepted.labelValues(source).inc(events);
    }

    public void rejected(String reason) {
        rejected.labelValues(reason).inc();
    }

    public void bytes(int n) {
        bytes.inc(n);
    }

    public void kafkaSend(long nanos) {
        kafkaSend.observe(nanos / 1e9);
    }

    public void inFlight(int events) {
        inFlight.set(events);
    }

    /** The text exposition format. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory does not fail", e);
        }
        return out.toByteArray();
    }
}
