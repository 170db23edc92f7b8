package dev.streamingcdp.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names the part of the JVM a sampled thread belongs to, from its name (and its frames, for JVM-internal threads). */
final class ThreadGroups {

    static final String TASK = "Flink task: ";
    static final String KAFKA_PRODUCER = "Kafka producer I/O";
    static final String KAFKA_SOURCE = "Kafka source fetchers / consumers";
    static final String JIT = "JIT compiler";
    static final String GC = "GC";
    static final String ROCKSDB = "RocksDB background";
    static final String FLINK_RUNTIME = "Flink runtime (REST, metrics, RPC, checkpoint I/O)";
    static final String MAIN = "main (start-up, job submission)";
    static final String OTHER = "other";

    /** async-profiler's thread frame: "[name tid=N]"; JVM threads' names are cut to 15 characters by the OS. */
    private static final Pattern THREAD_FRAME = Pattern.compile("\\[(.*?) ?tid=\\d+\\]");
    /** A Flink task thread: the operator chain's name, then the subtask and attempt, e.g. " (1/2)#0". */
    private static final Pattern TASK_THREAD = Pattern.compile("(.+) \\(\\d+/\\d+\\)(#\\d+)?");
    private static final int MAX_CHAIN_NAME = 90;

    private ThreadGroups() {}

    /** The thread's name, if the frame is a thread frame; else null. */
    static String threadName(String frame) {
        Matcher m = THREAD_FRAME.matcher(frame);
        return m.matches() ? m.group(1) : null;
    }

    static String of(String thread, String[] frames) {
        if (thread.startsWith("kafka-producer-network-thread")) {
            return KAFKA_PRODUCER;
        }
        if (thread.startsWith("Source Data Fetcher") || thread.startsWith("kafka-coordinator")
                || thread.startsWith("kafka-consumer")) {
            return KAFKA_SOURCE;
        }
        if (thread.startsWith("rocksdb") || anyFrameContains(frames, "rocksdb::ThreadPoolImpl")) {
            return ROCKSDB;
        }
        if (thread.contains("CompilerThre") || anyFrameContains(frames, "CompileBroker::")) {
            return JIT;
        }
        if (thread.startsWith("GC Thread") || thread.startsWith("G1 ") || anyFrameContains(frames, "GangWorker")
                || anyFrameContains(frames, "ConcurrentGCThread")) {
            return GC;
        }
        if (thread.equals("main")) {
            return MAIN;
        }
        if (thread.startsWith("flink-") || thread.startsWith("Flink-") || thread.startsWith("jobmanager-")
                || thread.startsWith("mini-cluster") || thread.startsWith("AsyncOperations")
                || thread.startsWith("SourceCoordinator")) {
            return FLINK_RUNTIME;
        }
        Matcher task = TASK_THREAD.matcher(thread);
        if (task.matches()) {
            String chain = task.group(1);
            return TASK + (chain.length() > MAX_CHAIN_NAME ? chain.substring(0, MAX_CHAIN_NAME) + " …" : chain);
        }
        return OTHER;
    }

    private static boolean anyFrameContains(String[] frames, String text) {
        for (String f : frames) {
            if (f.contains(text)) {
                return true;
            }
        }
        return false;
    }
}
