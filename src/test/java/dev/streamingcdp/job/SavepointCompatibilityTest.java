package dev.streamingcdp.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.segment.SegmentCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * What keeps a savepoint restorable into the next release, checked on the retail demo's job: state is matched to
 * operators by uid, so every operator has its own explicit one; and no record type falls back to Kryo, whose
 * serialized form cannot evolve. The job's settings make Flink refuse both when it generates the job graph.
 */
class SavepointCompatibilityTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");

    @Test
    void everyOperatorHasItsOwnExplicitUid() {
        JobDefinition job = JobDefinition.load(DEMO);
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.of(job));
        CdpJob.build(env, job, IdentityRules.load(DEMO), segments, Destinations.load(DEMO, segments));

        StreamGraph graph = env.getStreamGraph();
        List<String> uids = graph.getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();

        assertThat(uids).isNotEmpty().doesNotContainNull().doesNotHaveDuplicates();
        // generating the job graph fails on a missing uid or a type that would need Kryo
        assertThat(graph.getJobGraph().getVertices()).isNotEmpty();
    }

    /**
     * The feedback loop's phantom filter relies on this: a failover restarts a whole pipelined region, so if the job
     * is one region, every task of an execution shares its attempt number (StampFeedback).
     */
    @Test
    void theJobIsOnePipelinedRegion() {
        JobDefinition job = JobDefinition.load(DEMO);
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.of(job));
        CdpJob.build(env, job, IdentityRules.load(DEMO), segments, Destinations.load(DEMO, segments));
        List<JobVertex> vertices = new ArrayList<>();
        env.getStreamGraph().getJobGraph().getVertices().forEach(vertices::add);

        Map<JobVertex, JobVertex> parent = new HashMap<>();
        vertices.forEach(v -> parent.put(v, v));
        for (JobVertex v : vertices) {
            for (JobEdge e : v.getInputs()) {
                assertThat(e.getSource().getResultType().isPipelinedOrPipelinedBoundedResultPartition())
                        .as("edge into %s is pipelined", v.getName()).isTrue();
                parent.put(root(parent, e.getSource().getProducer()), root(parent, v));
            }
        }
        assertThat(vertices).hasSizeGreaterThan(1)
                .extracting(v -> root(parent, v)).containsOnly(root(parent, vertices.get(0)));
    }

    private static JobVertex root(Map<JobVertex, JobVertex> parent, JobVertex v) {
        while (parent.get(v) != v) {
            v = parent.get(v);
        }
        return v;
    }

    @Test
    void theSettingsRefuseGeneratedUidsAndKryo() {
        Configuration conf = FlinkSettings.of(JobDefinition.load(DEMO));

        assertThat(conf.get(PipelineOptions.AUTO_GENERATE_UIDS)).isFalse();
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }
}
