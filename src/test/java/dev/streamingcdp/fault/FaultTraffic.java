package dev.streamingcdp.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.ingest.JsonEventDecoder;
import dev.streamingcdp.ingest.RejectException;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.simulator.JobInput;
import dev.streamingcdp.simulator.RecordKind;
import dev.streamingcdp.simulator.SimulatedRecord;
import dev.streamingcdp.simulator.SimulationOptions;
import dev.streamingcdp.simulator.TrafficGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault run's exact input: the first {@code count} records of the simulator with fixed options (so the oracle can
 * generate them again, byte for byte; the run decides the count by how long it sends), then one flush marker per
 * input partition far ahead in event time. The
 * markers move every partition's watermark past all windows of the traffic, so the final memberships do not depend
 * on where event time stopped: every "within 1h" has lapsed, every cart left an hour ago has timed out, and nothing
 * is near the 7 d and 30 d windows.
 */
record FaultTraffic(SimulationOptions options, JobInput input, int partitions) {

    /** One marker record, written to one partition so that each partition gets one. */
    record Marker(String topic, int partition, Format format, byte[] value) {}

    /** Far enough past the last event for 1 h windows and timers, far before the 7 d ones. */
    static final Duration FLUSH = Duration.ofHours(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    static FaultTraffic of(JobDefinition job, long seed, double eventsPerSecond) {
        // Event time runs 60 times faster than the send clock, so windows (1 h) open and lapse during a short run.
        Duration step = Duration.ofNanos(Math.round(60e9 / eventsPerSecond));
        SimulationOptions options = new SimulationOptions(seed, 400, 0.02, 0.01, 0.1,
                Instant.parse("2026-11-23T08:00:00Z"), step);
        return new FaultTraffic(options, JobInput.of(job), job.topics().partitions());
    }

    /** A fresh generator of exactly this traffic (it is consumed as it is read). */
    TrafficGenerator generator() {
        return new TrafficGenerator(options, input);
    }

    /** The first {@code count} records the simulator sends, in order. */
    List<SimulatedRecord> records(long count) {
        TrafficGenerator g = generator();
        List<SimulatedRecord> records = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            records.add(g.next());
        }
        return records;
    }

    /** Event time of the markers after {@code count} records. */
    Instant flushTime(long count) {
        return options.start().plus(options.timeStep().multipliedBy(count)).plus(FLUSH);
    }

    /** One identify per partition of every input topic, from a person of its own (in no segment). */
    List<Marker> markers(long count) {
        List<Marker> markers = new ArrayList<>();
        for (String topic : input.topics()) {
            Format format = topic.equals(input.avroTopic()) ? Format.AVRO : Format.JSON;
            for (int p = 0; p < partitions; p++) {
                String user = "fault-flush-" + format.name().toLowerCase() + "-" + p;
                ObjectNode e = JSON.createObjectNode().put("type", "identify").put("userId", user)
                        .put("messageId", user).put("timestamp", flushTime(count).toString());
                markers.add(new Marker(topic, p, format, encode(e, format)));
            }
        }
        return markers;
    }

    /** The valid inputs (the simulator's valid records and the markers), as the oracle reads them. */
    List<FaultOracle.Payload> validPayloads(long count) {
        List<FaultOracle.Payload> valid = new ArrayList<>();
        for (SimulatedRecord r : records(count)) {
            if (r.kind().outcome() == RecordKind.Outcome.VALID) {
                valid.add(new FaultOracle.Payload(r.format(), r.value()));
            }
        }
        markers(count).forEach(m -> valid.add(new FaultOracle.Payload(m.format(), m.value())));
        return valid;
    }

    private static byte[] encode(ObjectNode event, Format format) {
        byte[] json = event.toString().getBytes(StandardCharsets.UTF_8);
        if (format == Format.JSON) {
            return json;
        }
        try {
            return SegmentEvent.getEncoder().encode(JsonEventDecoder.decode(json)).array();
        } catch (RejectException | java.io.IOException e) {
            throw new IllegalStateException("a flush marker did not encode", e);
        }
    }
}
