package dev.streamingcdp.ingest;

import static dev.streamingcdp.ingest.RejectReason.BAD_AVRO;
import static dev.streamingcdp.ingest.RejectReason.BAD_JSON;
import static dev.streamingcdp.ingest.RejectReason.BAD_REQUEST;
import static dev.streamingcdp.ingest.RejectReason.BAD_SEGMENT;
import static dev.streamingcdp.ingest.RejectReason.BAD_TIMESTAMP;
import static dev.streamingcdp.ingest.RejectReason.BAD_UTF8;
import static dev.streamingcdp.ingest.RejectReason.MISSING_FIELD;
import static dev.streamingcdp.ingest.RejectReason.MISSING_TYPE;
import static dev.streamingcdp.ingest.RejectReason.NO_IDENTIFIER;
import static dev.streamingcdp.ingest.RejectReason.TOO_LARGE;
import static dev.streamingcdp.ingest.RejectReason.UNKNOWN_TYPE;
import static dev.streamingcdp.ingest.RejectReason.WRONG_TYPE;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.ingest.RejectReason.Origin;
import dev.streamingcdp.ingest.avro.Context;
import dev.streamingcdp.ingest.avro.Device;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.testing.TestPipelines.Input;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One or more records per (reason, input topic) pair of {@link RejectReason}'s table, plus a few valid events, for
 * the dead-letter contract test. Suppressed records need the suppression list to be in place first: {@link #probe}
 * makes events that are suppressed once it is.
 */
final class DeadLetterInputs {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SUPPRESSED_EMAIL = "forget.me@example.com";
    /** A value identity.yaml of the retail demo blocks for device_id. */
    static final String BLOCKED_DEVICE = "unknown";

    final String jsonTopic;
    final String avroTopic;
    final String controlTopic;
    final String privacyTopic;
    /** A record that must end as exactly one dead letter, with this reason. */
    record Rejected(Input input, RejectReason reason) {}

    /** Message ids of events whose only identifiers are blocked: a dead letter each, never an enriched event. */
    static final String ALL_BLOCKED_JSON = "all-blocked-json";
    static final String ALL_BLOCKED_AVRO = "all-blocked-avro";

    final List<Rejected> rejected = new ArrayList<>();
    final List<Input> valid = new ArrayList<>();
    final List<String> validMessageIds = new ArrayList<>();
    private int seq;

    DeadLetterInputs(JobDefinition job) {
        jsonTopic = topic(job, JobDefinition.Format.JSON);
        avroTopic = topic(job, JobDefinition.Format.AVRO);
        controlTopic = job.topics().segmentControl();
        privacyTopic = job.topics().privacyRequests();
        int maxPayload = job.ingest().maxPayloadBytes();

        json(BAD_UTF8, bytesWithBadUtf8());
        json(BAD_JSON, "{\"type\": \"track\", ");
        // over the limit, under the dead letter's 128 KB: kept whole; and over both: cut, marked, sized
        json(TOO_LARGE, track().put("pad", "z".repeat(maxPayload + 10_000)).toString());
        json(TOO_LARGE, track().put("pad", "z".repeat(200_000)).toString());
        ObjectNode longTrait = track();
        longTrait.putObject("traits").put("note", "t".repeat(2_000));
        json(TOO_LARGE, longTrait.toString());
        json(WRONG_TYPE, track().put("traits", "vip").toString());
        ObjectNode noType = track();
        noType.remove("type");
        json(MISSING_TYPE, noType.toString());
        json(UNKNOWN_TYPE, track().put("type", "purchase").toString());
        ObjectNode noEvent = track();
        noEvent.remove("event");
        json(MISSING_FIELD, noEvent.toString());
        json(BAD_TIMESTAMP, track().put("timestamp", "yesterday").toString());
        ObjectNode noId = track();
        noId.remove("anonymousId");
        json(NO_IDENTIFIER, noId.toString());
        ObjectNode allBlocked = track().put("messageId", ALL_BLOCKED_JSON);
        allBlocked.remove("anonymousId");
        allBlocked.putObject("context").putObject("device").put("id", BLOCKED_DEVICE);
        json(NO_IDENTIFIER, allBlocked.toString());

        avro(BAD_AVRO, "not avro at all".getBytes(StandardCharsets.UTF_8));
        avro(TOO_LARGE, avroTrack().setProperties(Map.of("blob", "y".repeat(maxPayload))).build());
        avro(MISSING_TYPE, avroTrack().setType(null).build());
        avro(UNKNOWN_TYPE, avroTrack().setType("purchase").build());
        avro(MISSING_FIELD, avroTrack().setEvent(null).build());
        avro(BAD_TIMESTAMP, avroTrack().setTimestamp("yesterday").build());
        avro(NO_IDENTIFIER, avroTrack().setAnonymousId(null).build());
        avro(NO_IDENTIFIER, avroTrack().setAnonymousId(null).setMessageId(ALL_BLOCKED_AVRO)
                .setContext(Context.newBuilder().setDevice(Device.newBuilder().setId("0000").build()).build()).build());

        rejected.add(new Rejected(new Input(controlTopic, "retention-offer", utf8("not a definition")), BAD_SEGMENT));
        rejected.add(new Rejected(new Input(controlTopic, " ", utf8("{\"id\": \"no-key\"}")), BAD_SEGMENT));
        rejected.add(new Rejected(new Input(privacyTopic, "r1",
                utf8("{\"requestId\": \"r1\", \"type\": \"FORGET\"}")), BAD_REQUEST));
        rejected.add(new Rejected(new Input(privacyTopic, "r2",
                utf8("{\"requestId\": \"" + "r".repeat(300_000) + "\"}")), BAD_REQUEST));

        valid.add(new Input(jsonTopic, "v", utf8(track().put("messageId", "valid-json").toString())));
        validMessageIds.add("valid-json");
        valid.add(avroInput(avroTrack().setMessageId("valid-avro").build()));
        validMessageIds.add("valid-avro");
    }

    /** The privacy request that puts {@link #SUPPRESSED_EMAIL} on the suppression list. */
    Input suppress() {
        return new Input(privacyTopic, "s1", utf8("{\"requestId\": \"s1\", \"type\": \"SUPPRESS\", "
                + "\"identifier\": {\"type\": \"email\", \"value\": \"" + SUPPRESSED_EMAIL + "\"}}"));
    }

    /** A JSON and an Avro event carrying the suppressed e-mail (enriched until the list reaches the filter). */
    List<Input> probe(int round) {
        ObjectNode json = track().put("messageId", "probe-json-" + round);
        json.putObject("traits").put("email", SUPPRESSED_EMAIL);
        return List.of(new Input(jsonTopic, "p", utf8(json.toString())), avroInput(avroTrack()
                .setMessageId("probe-avro-" + round).setTraits(Map.of("email", SUPPRESSED_EMAIL)).build()));
    }

    Origin origin(String topic) {
        if (topic.equals(jsonTopic)) {
            return Origin.EVENTS_JSON;
        } else if (topic.equals(avroTopic)) {
            return Origin.EVENTS_AVRO;
        } else if (topic.equals(controlTopic)) {
            return Origin.SEGMENT_CONTROL;
        } else if (topic.equals(privacyTopic)) {
            return Origin.PRIVACY_REQUESTS;
        }
        throw new IllegalArgumentException("not an input topic: " + topic);
    }

    private ObjectNode track() {
        return JSON.createObjectNode().put("type", "track").put("messageId", "dl-" + (seq++))
                .put("timestamp", "2026-11-23T10:00:00Z").put("anonymousId", "anon-dl").put("event", "Viewed");
    }

    private SegmentEvent.Builder avroTrack() {
        return SegmentEvent.newBuilder().setType("track").setMessageId("dl-avro-" + (seq++))
                .setTimestamp("2026-11-23T10:00:00Z").setAnonymousId("anon-dl").setEvent("Viewed");
    }

    private void json(RejectReason reason, String text) {
        json(reason, utf8(text));
    }

    private void json(RejectReason reason, byte[] bytes) {
        rejected.add(new Rejected(new Input(jsonTopic, "k", bytes), reason));
    }

    private void avro(RejectReason reason, byte[] bytes) {
        rejected.add(new Rejected(new Input(avroTopic, "k", bytes), reason));
    }

    private void avro(RejectReason reason, SegmentEvent e) {
        rejected.add(new Rejected(avroInput(e), reason));
    }

    private Input avroInput(SegmentEvent e) {
        try {
            ByteBuffer b = SegmentEvent.getEncoder().encode(e);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return new Input(avroTopic, "k", bytes);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] bytesWithBadUtf8() {
        byte[] head = utf8("{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"name\":\"caf");
        byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3;
        bytes[head.length + 1] = (byte) 0x28;
        bytes[head.length + 2] = '}';
        return bytes;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String topic(JobDefinition job, JobDefinition.Format format) {
        return job.topics().events().stream().filter(t -> t.format() == format).findFirst().orElseThrow().name();
    }
}
