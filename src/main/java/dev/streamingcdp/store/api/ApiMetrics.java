package dev.streamingcdp.store.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts and latencies per route and status, in the Prometheus text format: a cumulative histogram, so
 * that p50/p99 can be computed by Prometheus ({@code histogram_quantile}).
 */
final class ApiMetrics {

    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    private record Key(String route, int status) {}

    private static final class Series {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];

        Series() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    private final Map<Key, Series> series = new ConcurrentHashMap<>();

    void record(String route, int status, long nanos) {
        Series s = series.computeIfAbsent(new Key(route, status), k -> new Series());
        s.count.increment();
        s.nanos.add(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                s.buckets[i].increment();
            }
        }
    }

    String text(boolean storeReachable) {
        StringBuilder out = new StringBuilder();
        out.append("# HELP cdp_api_requests_seconds Profile API requests by route and status.\n")
                .append("# TYPE cdp_api_requests_seconds histogram\n");
        Map<String, Series> sorted = new TreeMap<>();
        series.forEach((k, s) -> sorted.put("route=\"" + k.route() + "\",status=\"" + k.status() + "\"", s));
        sorted.forEach((labels, s) -> {
            for (int i = 0; i < BUCKETS.length; i++) {
                out.append("cdp_api_requests_seconds_bucket{").append(labels).append(",le=\"").append(BUCKETS[i])
                        .append("\"} ").append(s.buckets[i].sum()).append('\n');
            }
            out.append("cdp_api_requests_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                    .append(s.count.sum()).append('\n');
            out.append("cdp_api_requests_seconds_sum{").append(labels).append("} ").append(s.nanos.sum() / 1e9)
                    .append('\n');
            out.append("cdp_api_requests_seconds_count{").append(labels).append("} ").append(s.count.sum())
                    .append('\n');
        });
        out.append("# HELP cdp_api_store_up Whether the profile store answered the readiness check.\n")
                .append("# TYPE cdp_api_store_up gauge\n")
                .append("cdp_api_store_up ").append(storeReachable ? 1 : 0).append('\n');
        return out.toString();
    }
}
