package dev.streamingcdp.bench;

/** Which library a task thread's sample was in: the innermost (closest to the leaf) frame of a known library. */
final class TaskLibraries {

    static final String NONE = "none of these (project code, JDK, Flink operators)";

    private record Library(String name, String... parts) {

        boolean matches(String frame) {
            for (String p : parts) {
                if (frame.contains(p)) {
                    return true;
                }
            }
            return false;
        }
    }

    // Native RocksDB frames are "Java_org_rocksdb_..." (the JNI glue) and "rocksdb::..." (the C++ library).
    private static final Library[] LIBRARIES = {
        new Library("RocksDB (JNI + native)", "org/rocksdb/", "Java_org_rocksdb_", "rocksdb::"),
        new Library("Avro (de)serialisation", "org/apache/avro/"),
        new Library("Jackson (JSON)", "com/fasterxml/"),
        new Library("Kafka producer send", "org/apache/kafka/clients/producer/"),
        new Library("Flink network (de)serialisation", "org/apache/flink/runtime/io/network/"),
    };

    private TaskLibraries() {}

    static String innermost(String[] frames, int from) {
        for (int i = frames.length - 1; i >= from; i--) {
            for (Library l : LIBRARIES) {
                if (l.matches(frames[i])) {
                    return l.name();
                }
            }
        }
        return NONE;
    }
}
