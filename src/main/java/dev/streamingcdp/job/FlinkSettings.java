package dev.streamingcdp.job;

import dev.streamingcdp.config.JobDefinition;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;

/** The Flink configuration a job definition implies; the cluster's config.yaml supplies everything else. */
public final class FlinkSettings {

    private static final String LOOPBACK = "127.0.0.1";

    private FlinkSettings() {}

    public static Configuration of(JobDefinition job) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.NAME, "streaming-cdp: " + job.name());
        conf.set(CoreOptions.DEFAULT_PARALLELISM, job.parallelism());
        // Every operator must carry an explicit uid, and no type may fall back to Kryo: both keep savepoints evolvable.
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Safe because no operator keeps a reference to a record after emitting it; saves a copy per chained hop.
        conf.set(PipelineOptions.OBJECT_REUSE, true);

        if (job.network().bufferTimeout() != null) {
            conf.set(ExecutionOptions.BUFFER_TIMEOUT, job.network().bufferTimeout());
        }

        JobDefinition.Checkpoint cp = job.checkpoint();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cp.interval());
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, cp.timeout());
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, cp.minPause());
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (cp.dir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cp.dir());
        }
        conf.set(StateBackendOptions.STATE_BACKEND, job.state().backend());
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, job.state().incremental());
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, job.state().bloomFilter());
        return conf;
    }

    /**
     * A local MiniCluster (`cdp run --local`, the benchmark): on loopback only, and with RocksDB's managed memory of
     * the job definition instead of Flink's local default of 128 MB, which a million profiles' state outgrows many
     * times (every backfill or cold read would then go to the files).
     */
    public static Configuration localCluster(Configuration conf, JobDefinition job) {
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(job.state().localManagedMemory()));
        return loopbackOnly(conf);
    }

    /**
     * A local MiniCluster listens on loopback only: the dashboard (REST), and the BLOB server and data port, which
     * bind to the JobManager's and TaskManager's bind host (every interface unless set).
     */
    private static Configuration loopbackOnly(Configuration conf) {
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        return conf;
    }
}
