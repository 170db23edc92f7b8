package dev.streamingcdp.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM spent its CPU, from a JFR recording: the jdk.ExecutionSample events (what `jfr print --events
 * jdk.ExecutionSample` lists) counted by their top frame's method, and by the first frame in the project's own code.
 */
public final class HotMethods {

    /** A method and the share of samples it was found in. */
    public record Hot(String method, long samples, double share) {}

    public record Profile(long samples, List<Hot> topFrames, List<Hot> ownCode) {}

    private static final String OWN_PACKAGE = "dev.streamingcdp.";

    private HotMethods() {}

    public static Profile read(Path recording, int top) throws IOException {
        Map<String, Long> byTop = new HashMap<>();
        Map<String, Long> byOwn = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                var event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                byTop.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
                stack.getFrames().stream().map(HotMethods::name).filter(n -> n.startsWith(OWN_PACKAGE)).findFirst()
                        .ifPresent(n -> byOwn.merge(n, 1L, Long::sum));
            }
        }
        return new Profile(samples, ranked(byTop, samples, top), ranked(byOwn, samples, top));
    }

    static List<Hot> ranked(Map<String, Long> counts, long total, int top) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top).map(e -> new Hot(e.getKey(), e.getValue(), e.getValue() / (double) Math.max(1, total)))
                .toList();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
