package dev.streamingcdp.bench;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.KafkaIO;
import dev.streamingcdp.kafka.KeyedJsonSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The bare Flink job the benchmark compares the full job with: Kafka, JSON parse, keyBy customer, a RocksDB counter per
 * customer, Kafka. It takes broker, topics, parallelism, delivery guarantee and checkpointing from the same job.yaml,
 * so the ratio between the two measures what the CDP's own work costs.
 */
public final class BaselineJob {

    public static final String SOURCE_UID = "baseline-source";
    public static final String COUNT_UID = "baseline-count";
    public static final String SINK_UID = "baseline-sink";
    /** The counts go here; the benchmark creates it next to the job's topics. */
    public static final String OUTPUT_TOPIC = "bench.baseline.counts";

    private BaselineJob() {}

    public static void build(StreamExecutionEnvironment env, JobDefinition job) {
        String input = job.topics().events().stream().filter(t -> t.format() == JobDefinition.Format.JSON)
                .map(JobDefinition.InputTopic::name).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(job.name() + " has no JSON input topic"));
        KafkaSource<String> source = KafkaIO.configure(KafkaSource.<String>builder(), job
                        .withConsumerGroup(job.kafka().consumerGroup() + "-baseline"))
                .setTopics(input)
                .setDeserializer(new CustomerKeyDeserializer())
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "baseline: read + parse JSON " + input)
                .uid(SOURCE_UID)
                .keyBy(key -> key)
                .process(new CountPerKey())
                .uid(COUNT_UID).name("baseline: count per customer")
                .sinkTo(KafkaIO.sink(job, "bench-baseline", new KeyedJsonSerializer<String>(OUTPUT_TOPIC,
                        line -> line.substring(0, line.indexOf('\t')).getBytes(StandardCharsets.UTF_8),
                        line -> line.getBytes(StandardCharsets.UTF_8))))
                .uid(SINK_UID).name("baseline: Kafka " + OUTPUT_TOPIC);
    }

    /** Emits "key TAB count" after each event: one state read and one write per record, as a keyed counter does. */
    static final class CountPerKey extends KeyedProcessFunction<String, String, String> {

        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(String key, Context ctx, Collector<String> out) throws Exception {
            Long current = count.value();
            long next = current == null ? 1 : current + 1;
            count.update(next);
            out.collect(key + "\t" + next);
        }
    }
}
