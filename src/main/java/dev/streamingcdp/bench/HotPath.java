package dev.streamingcdp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a JVM spent its CPU, from async-profiler's collapsed stacks recorded with {@code threads}: one line per
 * distinct stack, "[thread name tid=N];root;...;leaf count". Counts samples by thread group, and on the Flink task
 * threads by the innermost library, the nearest project method and the frame on CPU (Java or native).
 */
public final class HotPath {

    /** A name and its samples; {@code share} of all samples, or of the task threads' for the task tables. */
    public record Hot(String name, long samples, double share) {}

    public record Profile(long samples, long taskSamples, List<Hot> threadGroups, List<Hot> taskLibraries,
            List<Hot> ownCode, List<Hot> selfFrames) {}

    private static final String OWN_PACKAGE = "dev/streamingcdp/";

    private final Map<String, Long> groups = new HashMap<>();
    private final Map<String, Long> libraries = new HashMap<>();
    private final Map<String, Long> own = new HashMap<>();
    private final Map<String, Long> self = new HashMap<>();
    private long samples;
    private long taskSamples;

    public static Profile read(Path collapsed, int top) throws IOException {
        HotPath path = new HotPath();
        try (BufferedReader in = Files.newBufferedReader(collapsed)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                path.add(line);
            }
        }
        return path.profile(top);
    }

    /** One collapsed line; blank or malformed lines are skipped. */
    void add(String line) {
        int space = line.lastIndexOf(' ');
        if (space <= 0) {
            return;
        }
        long count;
        try {
            count = Long.parseLong(line.substring(space + 1).trim());
        } catch (NumberFormatException e) {
            return;
        }
        String[] frames = line.substring(0, space).split(";");
        String thread = ThreadGroups.threadName(frames[0]);
        int from = thread == null ? 0 : 1;
        if (from >= frames.length) {
            return;
        }
        samples += count;
        String group = ThreadGroups.of(thread == null ? "" : thread, frames);
        groups.merge(group, count, Long::sum);
        if (group.startsWith(ThreadGroups.TASK)) {
            taskSamples += count;
            self.merge(display(frames[frames.length - 1]), count, Long::sum);
            libraries.merge(TaskLibraries.innermost(frames, from), count, Long::sum);
            for (int i = frames.length - 1; i >= from; i--) {
                if (frames[i].startsWith(OWN_PACKAGE)) {
                    own.merge(display(frames[i]), count, Long::sum);
                    break;
                }
            }
        }
    }

    Profile profile(int top) {
        return new Profile(samples, taskSamples, ranked(groups, samples, top), ranked(libraries, taskSamples, top),
                ranked(own, taskSamples, top), ranked(self, taskSamples, top));
    }

    static List<Hot> ranked(Map<String, Long> counts, long total, int top) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top).map(e -> new Hot(e.getKey(), e.getValue(), e.getValue() / (double) Math.max(1, total)))
                .toList();
    }

    /** Java frames as a.b.C.method, a native library without symbols by its file name, C/C++ names as they are. */
    static String display(String frame) {
        if (frame.startsWith("/")) {
            return frame.substring(frame.lastIndexOf('/') + 1);
        }
        boolean java = frame.indexOf('/') > 0 && !frame.contains("::") && !frame.contains("(") && !frame.contains(" ");
        return java ? frame.replace('/', '.') : frame;
    }
}
