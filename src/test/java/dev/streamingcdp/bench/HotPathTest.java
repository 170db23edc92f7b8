package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

class HotPathTest {

    private static final String TASK = "[profile: unify, merge (1/2)#0 tid=101]";

    @Test
    void groupsThreadsStrippingTheSubtaskAndFindsJitGcKafkaAndRocksDbThreads() {
        HotPath path = new HotPath();
        path.add(TASK + ";java/lang/Thread.run;dev/streamingcdp/profile/ProfileFunction.processElement 30");
        path.add("[profile: unify, merge (2/2)#0 tid=102];java/lang/Thread.run;java/util/HashMap.get 10");
        path.add("[C2 CompilerThre tid=7];start_thread;CompileBroker::compiler_thread_loop;C2Compiler::compile 20");
        path.add("[GC Thread#1 tid=8];start_thread;G1ParEvacuateFollowersClosure::do_void 5");
        path.add("[kafka-producer-network-thread | producer-3 tid=9];sun/nio/ch/SocketDispatcher.write0 15");
        path.add("[rocksdb:low tid=10];start_thread;rocksdb::ThreadPoolImpl::Impl::BGThread;rocksdb::CompactionJob::Run 10");
        path.add("[tid=11];__futex_abstimed_wait_common 10");

        HotPath.Profile p = path.profile(10);

        assertThat(p.samples()).isEqualTo(100);
        assertThat(p.taskSamples()).isEqualTo(40);
        assertThat(p.threadGroups()).extracting(HotPath.Hot::name, HotPath.Hot::samples).containsExactly(
                tuple("Flink task: profile: unify, merge", 40L),
                tuple("JIT compiler", 20L),
                tuple("Kafka producer I/O", 15L),
                tuple("RocksDB background", 10L),
                tuple("other", 10L),
                tuple("GC", 5L));
        assertThat(p.threadGroups().get(0).share()).isEqualTo(0.4);
    }

    @Test
    void attributesTaskSamplesToTheInnermostLibraryAndTheNearestProjectMethod() {
        HotPath path = new HotPath();
        path.add(TASK + ";dev/streamingcdp/profile/ProfileFunction.processElement;dev/streamingcdp/profile/"
                + "ProfileState.load;org/rocksdb/RocksDB.get;Java_org_rocksdb_RocksDB_get__J;rocksdb::DBImpl::Get 6");
        path.add(TASK + ";dev/streamingcdp/kafka/Json.bytes;com/fasterxml/jackson/databind/ObjectMapper."
                + "writeValueAsBytes;java/lang/String.hashCode 3");
        path.add(TASK + ";org/apache/flink/runtime/io/network/api/serialization/SpanningWrapper.read;"
                + "org/apache/avro/io/BinaryDecoder.readString 1");
        path.add("[C2 CompilerThre tid=7];C2Compiler::compile 50");
        path.add(TASK + ";org/rocksdb/RocksDB.put;/tmp/x/librocksdbjni-linux64.so 1");

        HotPath.Profile p = path.profile(10);

        assertThat(p.taskSamples()).isEqualTo(11);
        assertThat(p.taskLibraries()).extracting(HotPath.Hot::name, HotPath.Hot::samples).containsExactly(
                tuple("RocksDB (JNI + native)", 7L), tuple("Jackson (JSON)", 3L), tuple("Avro (de)serialisation", 1L));
        assertThat(p.ownCode()).extracting(HotPath.Hot::name, HotPath.Hot::samples).containsExactly(
                tuple("dev.streamingcdp.profile.ProfileState.load", 6L),
                tuple("dev.streamingcdp.kafka.Json.bytes", 3L));
        // the compiler thread is not a task thread: its frame is not among the task threads' frames on CPU
        assertThat(p.selfFrames()).extracting(HotPath.Hot::name).containsExactly("rocksdb::DBImpl::Get",
                "java.lang.String.hashCode", "librocksdbjni-linux64.so", "org.apache.avro.io.BinaryDecoder.readString");
    }

    @Test
    void skipsLinesWithoutACount() {
        HotPath path = new HotPath();
        path.add("");
        path.add(TASK + ";java/lang/Thread.run");
        assertThat(path.profile(10).samples()).isZero();
    }
}
