package dev.streamingcdp.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.config.JobDefinition.Format;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Bad records of every kind the job must reject, each broken in exactly one way so that its expected reject code is
 * certain. Kinds take turns, so every kind appears even in short runs. The broken events are extra ones built for
 * the purpose: journeys stay whole.
 */
final class Malformer {

    private static final List<String> LATIN1_CITIES = List.of("Köln", "Zürich", "Orléans", "Málaga");
    private static final List<String> UNKNOWN_TYPES = List.of("purchase", "pageview", "click");
    private static final String FILLER = "Lovely shoes, fit well, would buy again. ";

    private final Random random;
    private final EventFactory events;
    private final Population population;
    private final JobInput input;
    private final double avroShare;
    /** The kinds this job's input topics can receive: JSON kinds need a JSON topic, bad_avro an Avro one. */
    private final List<RejectCode> kinds;
    private int turn;

    Malformer(Random random, EventFactory events, Population population, JobInput input, double avroShare) {
        this.random = random;
        this.events = events;
        this.population = population;
        this.input = input;
        this.avroShare = avroShare;
        this.kinds = Arrays.stream(RejectCode.values()).filter(this::possible).toList();
    }

    private boolean possible(RejectCode code) {
        return switch (code) {
            case BAD_UTF8, BAD_JSON, TOO_LARGE, WRONG_TYPE -> input.has(Format.JSON);
            case BAD_AVRO -> input.has(Format.AVRO);
            default -> true;
        };
    }

    SimulatedRecord next() {
        RejectCode kind = kinds.get(turn++ % kinds.size());
        Customer c = population.random(random);
        Sender web = Sender.web(c, Ids.pick(random, c.cookies()));
        ObjectNode e = events.productViewed(web, Catalog.random(random));
        return switch (kind) {
            case BAD_UTF8 -> json(c, kind, latin1(web));
            case BAD_JSON -> json(c, kind, badJson(EventEncoder.jsonText(e)).getBytes(StandardCharsets.UTF_8));
            case BAD_AVRO -> record(c.userId(), Format.AVRO, kind, badAvro(e));
            case TOO_LARGE -> json(c, kind, EventEncoder.json(tooLarge(e)));
            case WRONG_TYPE -> json(c, kind, EventEncoder.json(wrongType(e, web)));
            case MISSING_TYPE -> semantic(c.userId(), kind, without(e, "type"));
            case UNKNOWN_TYPE -> semantic(c.userId(), kind, e.put("type", Ids.pick(random, UNKNOWN_TYPES)));
            case MISSING_FIELD -> semantic(c.userId(), kind, without(e, random.nextBoolean() ? "messageId" : "event"));
            case BAD_TIMESTAMP -> semantic(c.userId(), kind, e.put("timestamp", badTimestamp(e)));
            case NO_IDENTIFIER -> semantic(null, kind, without(without(e, "userId"), "anonymousId"));
        };
    }

    /** A legacy system writing Latin-1: the accented city is one byte that is not valid UTF-8. */
    private byte[] latin1(Sender web) {
        ObjectNode e = events.login(web);
        ((ObjectNode) e.get("traits")).put("city", Ids.pick(random, LATIN1_CITIES));
        return EventEncoder.jsonText(e).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Cut off in transit, a trailing comma, or Python's repr instead of JSON: each is invalid JSON. */
    private String badJson(String text) {
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, text.length() / 4 + random.nextInt(text.length() * 3 / 4));
            case 1 -> text.substring(0, text.length() - 1) + ",}";
            default -> text.replace('"', '\'');
        };
    }

    /** JSON sent to the Avro topic, a truncated encoding, or a schema fingerprint the job does not know. */
    private byte[] badAvro(ObjectNode e) {
        byte[] avro = EventEncoder.avro(e);
        return switch (random.nextInt(3)) {
            case 0 -> EventEncoder.json(e);
            case 1 -> Arrays.copyOf(avro, avro.length / 2 + random.nextInt(avro.length / 2));
            default -> {
                avro[2 + random.nextInt(8)] ^= (byte) 0xFF; // bytes 2-9 are the fingerprint after the 2-byte marker
                yield avro;
            }
        };
    }

    /** A review pasted into a property, just over the job's payload limit. */
    private ObjectNode tooLarge(ObjectNode e) {
        int target = input.maxPayloadBytes() + 1 + random.nextInt(1024);
        int size = EventEncoder.json(e).length;
        String review = FILLER.repeat(target / FILLER.length() + 1).substring(0, target - size);
        ((ObjectNode) e.get("properties")).put("review", review);
        return e;
    }

    /** A field of the wrong JSON type; the event keeps its cookie, so it still has a valid identifier. */
    private ObjectNode wrongType(ObjectNode track, Sender web) {
        return switch (random.nextInt(3)) {
            case 0 -> events.login(web).put("traits", "x");
            case 1 -> {
                track.putObject("userId").put("a", 1);
                yield track;
            }
            default -> {
                track.putArray("properties").add(1).add(2);
                yield track;
            }
        };
    }

    /** Not ISO-8601 with an offset: words, a day-first local format, or month 13. */
    private String badTimestamp(ObjectNode e) {
        String valid = e.get("timestamp").asText();
        return switch (random.nextInt(3)) {
            case 0 -> "yesterday";
            case 1 -> valid.substring(8, 10) + "/" + valid.substring(5, 7) + "/" + valid.substring(0, 4) + " "
                    + valid.substring(11, 19);
            default -> valid.substring(0, 5) + "13" + valid.substring(7);
        };
    }

    /** Breakage that survives encoding goes to either topic, like valid events. */
    private SimulatedRecord semantic(String key, RejectCode kind, ObjectNode e) {
        Format format = input.pick(random, avroShare);
        return record(key, format, kind, format == Format.AVRO ? EventEncoder.avro(e) : EventEncoder.json(e));
    }

    private SimulatedRecord json(Customer c, RejectCode kind, byte[] value) {
        return record(c.userId(), Format.JSON, kind, value);
    }

    private SimulatedRecord record(String key, Format format, RejectCode kind, byte[] value) {
        return new SimulatedRecord(input.topic(format), format, key, value, RecordKind.malformed(kind), null);
    }

    private static ObjectNode without(ObjectNode e, String field) {
        e.remove(field);
        return e;
    }
}
