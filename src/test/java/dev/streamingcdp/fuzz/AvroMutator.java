package dev.streamingcdp.fuzz;

import dev.streamingcdp.ingest.avro.Consent;
import dev.streamingcdp.ingest.avro.Context;
import dev.streamingcdp.ingest.avro.Device;
import dev.streamingcdp.ingest.avro.ExternalId;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Avro mutations: corrupted single-object bytes, and well-formed events with odd field values. As with JSON, a
 * changed messageId keeps the original inside.
 */
final class AvroMutator {

    /** Single-object encoding: 2 marker bytes and an 8-byte schema fingerprint, then the binary body. */
    private static final int HEADER = 10;

    private final Random random;

    AvroMutator(Random random) {
        this.random = random;
    }

    byte[] corrupt(byte[] avro) {
        byte[] b = avro.clone();
        return switch (random.nextInt(7)) {
            case 0 -> Arrays.copyOf(b, random.nextInt(b.length));
            case 1 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    b[HEADER + random.nextInt(b.length - HEADER)] = (byte) random.nextInt(256);
                }
                yield b;
            }
            case 2 -> { // a length or count of about 2^31 (zig-zag varint), or a negative one
                byte[] varint = random.nextBoolean() ? new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        0x0F} : new byte[] {0x01};
                int at = HEADER + random.nextInt(b.length - HEADER);
                System.arraycopy(varint, 0, b, at, Math.min(varint.length, b.length - at));
                yield b;
            }
            case 3 -> { // another schema's fingerprint
                b[2 + random.nextInt(8)] ^= (byte) (1 + random.nextInt(255));
                yield b;
            }
            case 4 -> { // a wrong marker
                b[random.nextInt(2)] ^= (byte) (1 + random.nextInt(255));
                yield b;
            }
            case 5 -> Arrays.copyOf(b, HEADER);
            default -> { // the right header before random bytes
                byte[] body = new byte[random.nextInt(200)];
                random.nextBytes(body);
                byte[] r = Arrays.copyOf(b, HEADER + body.length);
                System.arraycopy(body, 0, r, HEADER, body.length);
                yield r;
            }
        };
    }

    byte[] oddFields(SegmentEvent e) {
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            switch (random.nextInt(9)) {
                case 0 -> e.setMessageId(random.nextBoolean() ? OddValues.pick(random, OddValues.BLANK)
                        : e.getMessageId() + OddValues.unicode(random));
                case 1 -> e.setUserId(oddId());
                case 2 -> e.setAnonymousId(oddId());
                case 3 -> e.setTimestamp(OddValues.pick(random, OddValues.TIMESTAMPS));
                case 4 -> e.setType(OddValues.pick(random, List.of("TRACK", " track ", "track\u0000", "tr\u0430ck",
                        "identify\u200B", "alias", "group", "")));
                case 5 -> context(e).setExternalIds(List.of(new ExternalId(oddId(), oddId())));
                case 6 -> e.setProperties(oddMap());
                case 7 -> e.setTraits(Map.of(OddValues.pick(random, List.of("email", "phone")), oddId()));
                default -> context(e).setConsent(new Consent(Map.of(OddValues.unicode(random), random.nextBoolean())));
            }
        }
        try {
            ByteBuffer buffer = SegmentEvent.getEncoder().encode(e);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private String oddId() {
        return switch (random.nextInt(5)) {
            case 0 -> OddValues.pick(random, OddValues.BLANK);
            case 1 -> OddValues.pick(random, OddValues.NEARLY_BLANK);
            case 2 -> "x".repeat(10_000 + random.nextInt(60_000));
            case 3 -> OddValues.pick(random, List.of("a@b", "JANE@EXAMPLE.COM\u0000", "+", "+999999999999999999999",
                    "\u0661\u0662\u0663", "!!!", "__", "@", "@@example.com"));
            default -> OddValues.unicode(random);
        };
    }

    private Map<String, Object> oddMap() {
        Map<String, Object> m = new HashMap<>();
        m.put("", Double.NaN);
        m.put(OddValues.unicode(random), Double.NEGATIVE_INFINITY);
        m.put("a.b", Long.MIN_VALUE);
        m.put("nothing", null);
        m.put("email", OddValues.unicode(random));
        return m;
    }

    private static Context context(SegmentEvent e) {
        if (e.getContext() == null) {
            e.setContext(Context.newBuilder().setDevice(new Device(null, null)).build());
        }
        return e.getContext();
    }
}
