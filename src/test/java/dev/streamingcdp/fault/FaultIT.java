package dev.streamingcdp.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.activation.ActivationTopics;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.kafka.TopicAdmin;
import dev.streamingcdp.kafka.TopicRegistry;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.simulator.RecordKind;
import dev.streamingcdp.simulator.SimulatedRecord;
import dev.streamingcdp.testing.FlinkRest;
import dev.streamingcdp.testing.Scripts;
import dev.streamingcdp.testing.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The fault test of issue 7: the exactly-once job on a real standalone cluster (bin/flink-cluster) and a real broker
 * process (bin/kafka), simulated traffic at a steady rate, and the TaskManager SIGKILLed several times at random
 * (seeded) moments, each after the job had recovered from the previous kill and completed a checkpoint. At the end
 * every destination topic, and the segment-changes topic that feeds them, read as their consumers read them
 * (read_committed, replaying ENTERED/EXITED by sequence), must hold exactly what {@link FaultOracle} computes from the
 * input, with no sequence lost and, on the exactly-once topics, none repeated. Prints its figures (kills, recovery times, records checked) for the benchmark report
 * and writes them to target/fault-it/figures.txt; logs of the broker and the cluster stay under target/fault-it.
 * System properties: fault.kills (3), fault.seed (42), fault.rate (records per second, 40).
 */
class FaultIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final Path RUN = Path.of("target/fault-it").toAbsolutePath();
    private static final Path JOB = RUN.resolve("job");
    private static final Path JAR = Path.of("target/streaming-cdp.jar").toAbsolutePath();
    // The ports given to this test (see the helpers' brief): broker, controller, REST, JobManager RPC, Prometheus.
    private static final String BOOTSTRAP = "127.0.0.1:25092";
    private static final int REST_PORT = 25081;
    private static final Map<String, String> ENV = Map.of(
            "KAFKA_PORT", "25092", "KAFKA_CONTROLLER_PORT", "25093", "KAFKA_DATA_DIR", RUN.resolve("kafka").toString(),
            "FLINK_REST_PORT", String.valueOf(REST_PORT), "FLINK_RPC_PORT", "25123",
            "FLINK_PROM_PORTS", "25249-25259", "FLINK_CLUSTER_DIR", RUN.resolve("flink").toString(),
            "FLINK_CONF_FILE", RUN.resolve("flink-config.yaml").toString());

    private static final int KILLS = Integer.getInteger("fault.kills", 3);
    private static final long SEED = Long.getLong("fault.seed", 42);
    private static final double RATE = Double.parseDouble(System.getProperty("fault.rate", "40"));
    private static final Duration WAIT = Duration.ofMinutes(5);

    private static Scripts scripts;
    private static String jobId;

    /** One kill: when (ms after traffic started), then ms until every task ran again and until a checkpoint. */
    record Recovery(long killedAfter, long running, long checkpointed) {}

    @BeforeAll
    static void startBrokerAndCluster() throws Exception {
        deleteRecursively(RUN);
        Files.createDirectories(RUN.resolve("logs"));
        copyJob();
        YamlOverlay.write(Path.of("flink-conf/config.yaml"), "/fault/cluster.yaml", Map.of(),
                RUN.resolve("flink-config.yaml"));
        scripts = new Scripts(ENV, RUN.resolve("logs"));
        scripts.run("bin/kafka", "start");
        JobDefinition job = job();
        SegmentCatalog segments = SegmentCatalog.load(JOB);
        TopicAdmin.createMissing(BOOTSTRAP, Map.of(), TopicRegistry.topics(job, Destinations.load(JOB, segments)));
        scripts.run("bin/flink-cluster", "start");
    }

    @AfterAll
    static void stopEverything() {
        List<Executable> steps = List.of(
                () -> {
                    if (jobId != null) {
                        scripts.run("bin/flink-cluster", "cancel-job", jobId);
                    }
                },
                () -> scripts.run("bin/flink-cluster", "stop"),
                () -> scripts.run("bin/kafka", "stop"));
        for (Executable step : steps) {
            try {
                if (scripts != null) {
                    step.execute();
                }
            } catch (Throwable e) {
                System.err.println("fault test cleanup: " + e.getMessage());
            }
        }
    }

    @Test
    void noChangeIsLostOrRepeatedWhenTheTaskManagerIsKilledAgainAndAgain() throws Exception {
        JobDefinition job = job();
        SegmentCatalog segments = SegmentCatalog.load(JOB);
        Destinations destinations = Destinations.load(JOB, segments);
        jobId = scripts.lastLine("bin/flink-cluster", "submit", JAR.toString(), "--", "run", "--job",
                JOB.toString(), "--bootstrap-servers", BOOTSTRAP);
        FlinkRest rest = new FlinkRest(REST_PORT);
        FaultTraffic traffic = FaultTraffic.of(job, SEED, RATE);
        Random random = new Random(SEED);

        List<Recovery> recoveries = new ArrayList<>();
        long count;
        long trafficStart = System.currentTimeMillis();
        try (TrafficSender sender = new TrafficSender(BOOTSTRAP, traffic.generator(), RATE)) {
            await("a first checkpoint", () -> rest.latestCheckpoint(jobId) >= 0);
            for (int k = 0; k < KILLS; k++) {
                Thread.sleep(2000 + random.nextInt(10_000));
                recoveries.add(killAndRecover(rest, trafficStart));
            }
            Thread.sleep(5000); // traffic after the last recovery too
            count = sender.stop();
        }
        sendMarkers(traffic.markers(count));
        await("the job has read every input record", () -> inputsConsumed(job));

        long now = traffic.flushTime(count).toEpochMilli() - job.ingest().watermarks().outOfOrderness().toMillis();
        FaultOracle.Expected expected = new FaultOracle(IdentityRules.load(JOB), segments, destinations,
                EventNormalizer.of(job.ingest()))
                .expected(traffic.validPayloads(count), now);
        List<Output> outputs = new ArrayList<>();
        outputs.add(new Output("segment-changes", job.topics().segmentChanges(), FaultIT::segmentChange,
                expected.segments(), job.delivery()));
        destinations.destinations().forEach(d -> outputs.add(new Output(d.name(), d.topic(),
                v -> ActivationTopics.decode(d, v), expected.destinations().get(d.name()), d.delivery(job))));
        for (Output o : outputs) { // wait until the output has settled, then check it
            TopicReader.readUntil(BOOTSTRAP, o.topic(), rs -> {
                DestinationLog log = DestinationLog.replay(o.decode(rs));
                return log.missing(o.expected()).isEmpty() && log.unexpected(o.expected()).isEmpty();
            }, WAIT);
        }
        Map<Output, DestinationLog> logs = new LinkedHashMap<>();
        for (Output o : outputs) { // several checkpoints later: nothing more may come
            logs.put(o, DestinationLog.replay(o.decode(TopicReader.readAll(BOOTSTRAP, o.topic(),
                    Duration.ofSeconds(10)))));
        }
        report(traffic.records(count), recoveries, logs);

        assertThat(TopicReader.readAll(BOOTSTRAP, job.topics().identityAudit(), Duration.ofSeconds(2)))
                .as("no identity rule rejected a link (the oracle's components assume none)").isEmpty();
        logs.forEach((o, log) -> {
            assertThat(log.problems()).as("lost or broken changes on %s", o.name()).isEmpty();
            assertThat(log.missing(o.expected())).as("memberships %s lacks", o.name()).isEmpty();
            assertThat(log.unexpected(o.expected())).as("memberships %s should not have", o.name()).isEmpty();
            if (o.delivery() == JobDefinition.DeliveryGuarantee.EXACTLY_ONCE) {
                assertThat(log.repeats()).as("repeated changes on exactly-once %s", o.name()).isZero();
            }
        });
        assertThat(logs.values().stream().mapToInt(DestinationLog::records).sum()).as("changes checked")
                .isPositive();
    }

    private static Recovery killAndRecover(FlinkRest rest, long trafficStart) throws Exception {
        long killedAt = System.currentTimeMillis();
        scripts.run("bin/flink-cluster", "kill-taskmanager");
        scripts.run("bin/flink-cluster", "start-taskmanager");
        await("the job restarts", () -> rest.lastRestart(jobId) > killedAt && rest.allTasksRunning(jobId));
        long runningAt = System.currentTimeMillis();
        await("a checkpoint after the restart", () -> rest.latestCheckpointAcknowledged(jobId) > runningAt);
        return new Recovery(killedAt - trafficStart, runningAt - killedAt,
                rest.latestCheckpointAcknowledged(jobId) - killedAt);
    }

    private static void sendMarkers(List<FaultTraffic.Marker> markers) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (FaultTraffic.Marker m : markers) {
                producer.send(new ProducerRecord<>(m.topic(), m.partition(), null, m.value())).get();
            }
        }
    }

    /** The job's group has committed (at a completed checkpoint) the end offset of every input partition. */
    private static boolean inputsConsumed(JobDefinition job) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(job.kafka().consumerGroup()).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> inputs = new LinkedHashMap<>();
            for (var t : job.topics().events()) {
                for (int p = 0; p < job.topics().partitions(); p++) {
                    inputs.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
                }
            }
            return admin.listOffsets(inputs).all().get().entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return c != null && c.offset() == e.getValue().offset();
            });
        } catch (Exception e) {
            throw new IllegalStateException("could not read the job's consumer group", e);
        }
    }

    /** A topic of changes keyed by profile id, what it must end with, and its guarantee. */
    private record Output(String name, String topic, Function<byte[], ActivationRecord> decoder,
            Map<String, Set<String>> expected, JobDefinition.DeliveryGuarantee delivery) {

        List<ActivationRecord> decode(List<ConsumerRecord<byte[], byte[]>> records) {
            return records.stream().map(r -> {
                ActivationRecord a = decoder.apply(r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).as("key on %s", name)
                        .isEqualTo(a.getProfileId());
                return a;
            }).toList();
        }
    }

    /** A segment-changes record in the shape of an activation record (the fields the replay needs). */
    private static ActivationRecord segmentChange(byte[] value) {
        try {
            JsonNode j = JSON.readTree(value);
            return new ActivationRecord("segment-changes", j.path("type").asText(), j.at("/segment/id").asText(),
                    j.at("/segment/version").asInt(), j.path("profileId").asText(), Map.of(), 0L,
                    j.path("sequence").asLong(), "{}");
        } catch (IOException e) {
            throw new AssertionError("not a segment change", e);
        }
    }

    private static void report(List<SimulatedRecord> input, List<Recovery> recoveries,
            Map<Output, DestinationLog> logs) throws IOException {
        Map<RecordKind.Outcome, Long> kinds = input.stream()
                .collect(Collectors.groupingBy(r -> r.kind().outcome(), Collectors.counting()));
        List<String> lines = new ArrayList<>();
        lines.add(String.format("fault test: seed %d, %d kills of the TaskManager, traffic %.0f records/s", SEED,
                KILLS, RATE));
        lines.add(String.format("input: %d records (%d valid, %d duplicates, %d malformed) + flush markers",
                input.size(), kinds.getOrDefault(RecordKind.Outcome.VALID, 0L),
                kinds.getOrDefault(RecordKind.Outcome.DUPLICATE, 0L),
                kinds.getOrDefault(RecordKind.Outcome.MALFORMED, 0L)));
        for (int i = 0; i < recoveries.size(); i++) {
            Recovery r = recoveries.get(i);
            lines.add(String.format("kill %d at %.1f s: restarted, every task running again after %.1f s, first "
                    + "checkpoint after %.1f s", i + 1, r.killedAfter() / 1000.0, r.running() / 1000.0,
                    r.checkpointed() / 1000.0));
        }
        int lost = 0;
        int repeated = 0;
        for (var e : logs.entrySet()) {
            DestinationLog log = e.getValue();
            Map<String, Set<String>> want = e.getKey().expected();
            boolean exactlyOnce = e.getKey().delivery() == JobDefinition.DeliveryGuarantee.EXACTLY_ONCE;
            lost += log.problems().size() + log.missing(want).size();
            repeated += exactlyOnce ? log.repeats() : 0;
            lines.add(String.format("%s (%s): %d records checked, %d repeats%s, %d lost or broken, "
                    + "final memberships %d (oracle %d, missing %d, unexpected %d)", e.getKey().name(),
                    e.getKey().delivery(), log.records(), log.repeats(),
                    exactlyOnce ? "" : " (at-least-once: dropped by sequence)", log.problems().size(),
                    count(log.members()), count(want), log.missing(want).size(), log.unexpected(want).size()));
        }
        lines.add(String.format("lost %d, duplicated %d", lost, repeated));
        lines.forEach(l -> System.out.println("FAULT " + l));
        Files.write(RUN.resolve("figures.txt"), lines, StandardCharsets.UTF_8);
    }

    private static int count(Map<String, Set<String>> members) {
        return members.values().stream().mapToInt(Set::size).sum();
    }

    private static JobDefinition job() {
        return JobDefinition.load(JOB).withBootstrapServers(BOOTSTRAP);
    }

    /** The retail demo with the test's job.yaml changes and its own checkpoint directory. */
    private static void copyJob() throws IOException {
        try (Stream<Path> files = Files.walk(DEMO)) {
            for (Path f : files.toList()) {
                Path to = JOB.resolve(DEMO.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!f.getFileName().toString().equals("job.yaml")) {
                    Files.copy(f, to);
                }
            }
        }
        YamlOverlay.write(DEMO.resolve("job.yaml"), "/fault/job.yaml",
                Map.of("checkpoint", Map.of("dir", RUN.resolve("checkpoints").toUri().toString())),
                JOB.resolve("job.yaml"));
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT + " for " + what + "; logs in " + RUN);
            }
            Thread.sleep(500);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
