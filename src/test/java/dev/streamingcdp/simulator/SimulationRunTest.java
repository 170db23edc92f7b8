package dev.streamingcdp.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SimulationRunTest {

    private static final JobInput INPUT = new JobInput("cdp.events.json", "cdp.events.avro", 65536, "US");

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final StringWriter out = new StringWriter();

    private SimulationRun run(SimulationRun.Limits limits) {
        TrafficGenerator generator = new TrafficGenerator(SimulationOptions.defaults(Instant.EPOCH), INPUT);
        return new SimulationRun(generator, INPUT.topics(), producer, limits, new PrintWriter(out, true));
    }

    @Test
    void sendsTheRequestedNumberOfRecordsAndClosesTheProducer() throws Exception {
        assertThat(run(new SimulationRun.Limits(0, 500, null)).run()).isZero();
        assertThat(producer.history()).hasSize(500);
        assertThat(producer.history()).allSatisfy(r -> assertThat(r.topic()).isIn(INPUT.topics()));
        assertThat(producer.closed()).isTrue();
        assertThat(out.toString()).startsWith("finished after 0s: sent 500: valid ");
    }

    @Test
    void sendsTheSameRecordsAsTheGenerator() throws Exception {
        run(new SimulationRun.Limits(0, 100, null)).run();
        TrafficGenerator same = new TrafficGenerator(SimulationOptions.defaults(Instant.EPOCH), INPUT);
        for (var sent : producer.history()) {
            SimulatedRecord expected = same.next();
            assertThat(sent.value()).isEqualTo(expected.value());
            assertThat(sent.key()).isEqualTo(expected.key());
        }
    }

    @Test
    void stopsWhenAsked() throws Exception {
        SimulationRun stopped = run(new SimulationRun.Limits(0, Long.MAX_VALUE, null));
        stopped.stop();
        assertThat(stopped.run()).isZero();
        assertThat(stopped.awaitFinished(Duration.ZERO)).isTrue();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void stopsWhenTheTimeIsUpHavingKeptTheRate() throws Exception {
        assertThat(run(new SimulationRun.Limits(50, Long.MAX_VALUE, Duration.ofMillis(400))).run()).isZero();
        // At most the rate allows (50/s for 0.4 s, with slack for the pacer's start); how few a loaded machine
        // manages is not the point (PacerTest checks the pacing itself).
        assertThat(producer.history().size()).isLessThanOrEqualTo(30);
    }

    @Test
    void aMissingTopicIsReportedWithTheFix() throws Exception {
        producer.partitionsForException = new TimeoutException("Topic cdp.events.json not present in metadata");
        assertThat(run(new SimulationRun.Limits(0, 10, null)).run()).isEqualTo(1);
        assertThat(producer.history()).isEmpty();
        assertThat(out.toString())
                .contains("error: topic cdp.events.json is not available (create it with `cdp topics`)");
    }

    @Test
    void aRefusedRecordStopsTheRun() throws Exception {
        MockProducer<String, byte[]> refusing = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> r, Callback callback) {
                Future<RecordMetadata> sent = super.send(r, callback);
                errorNext(new TimeoutException("broker gone"));
                return sent;
            }
        };
        TrafficGenerator generator = new TrafficGenerator(SimulationOptions.defaults(Instant.EPOCH), INPUT);
        SimulationRun refused = new SimulationRun(generator, INPUT.topics(), refusing,
                new SimulationRun.Limits(0, 10, null), new PrintWriter(out, true));
        assertThat(refused.run()).isEqualTo(1);
        assertThat(refusing.history()).hasSize(1);
        assertThat(out.toString()).contains("sent 0: ").contains("failed 1").contains("error: broker gone");
    }
}
