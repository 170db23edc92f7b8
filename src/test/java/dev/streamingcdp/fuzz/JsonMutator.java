package dev.streamingcdp.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The JSON mutations: each takes a valid Segment Spec event (which it may change) and returns the payload bytes.
 * A mutated messageId always keeps the original one inside, so that no two inputs share an id by accident: only the
 * DUPLICATE inputs may be dropped by the de-duplication.
 */
final class JsonMutator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper RAW = new ObjectMapper();
    private static final ObjectMapper ESCAPED = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final String PLACEHOLDER = "__fuzz_placeholder__";
    /** Stays below the producer's and the broker's default limit of 1 MiB per record. */
    private static final int MAX_RECORD_BYTES = 1_000_000;

    static final List<String> ID_PATHS = List.of("messageId", "userId", "anonymousId", "previousId", "groupId",
            "traits.email", "traits.phone", "context.traits.email", "context.traits.phone", "context.device.id",
            "context.externalIds.0.id", "context.externalIds.0.type");
    static final List<String> TEXT_PATHS = List.of("type", "timestamp", "event", "name", "channel",
            "properties.fuzz", "traits.name", "context.traits.city", "context.device.type");
    static final List<String> OBJECT_PATHS = List.of("properties", "traits", "context", "context.device",
            "context.traits", "context.externalIds", "context.externalIds.0", "context.consent",
            "context.consent.categoryPreferences", "context.consent.categoryPreferences.marketing");
    private static final List<String> ALL_PATHS =
            Stream.of(ID_PATHS, TEXT_PATHS, OBJECT_PATHS).flatMap(List::stream).toList();
    private static final List<String> SYNTAX = List.of("", " ", "\n", "null", "[]", "[{}]", "{}", "42", "-0",
            "1e999", "\"text\"", "true", "{}{}", "{} trailing", "{\"type\":\"track\"}", "{\"a\":1,\"a\":2}",
            "{'type':'track'}", "{\"type\":\"track\",}", "{\"n\":NaN}", "{\"n\":01}", "{/* c */}", "{\"a\"}",
            "{\"messageId\":\"x\",\"messageId\":\"y\"}", "\uFEFF{}", "{\"type\":\"tr\\u0000ack\"}",
            "{\"type\":\"track\",\"userId\":\"\\uD800\"}");

    private final Random random;
    private final int maxPayloadBytes;
    /** Numeric messageIds are unique too. */
    private long nextNumericId = 1_000_000_000_000L;

    JsonMutator(Random random, int maxPayloadBytes) {
        this.random = random;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    byte[] apply(Mutation m, ObjectNode e) {
        return switch (m) {
            case TRUNCATED -> truncated(e);
            case WRONG_TYPE -> wrongType(e);
            case HUGE_STRING -> hugeString(e);
            case DEEP_NESTING -> deepNesting(e);
            case ODD_UNICODE -> oddUnicode(e);
            case INVALID_UTF8 -> invalidUtf8(e);
            case EXTREME_TIMESTAMP -> extremeTimestamp(e);
            case MISSING_ID -> missingId(e);
            case NOT_AN_OBJECT -> notAnObject(e);
            default -> throw new IllegalArgumentException(m + " is not a JSON mutation");
        };
    }

    private byte[] truncated(ObjectNode e) {
        byte[] bytes = encode(e);
        return Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }

    private byte[] wrongType(ObjectNode e) {
        for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
            String path = OddValues.pick(random, ALL_PATHS);
            JsonNode value = anyValue();
            if (path.equals("messageId") && value.isIntegralNumber()) { // the job takes it as the id's text
                value = NODES.numberNode(BigInteger.valueOf(nextNumericId++));
            }
            set(e, path, value);
        }
        return encode(e);
    }

    /** A value of any JSON type, edge values included. */
    private JsonNode anyValue() {
        List<Supplier<JsonNode>> values = List.of(
                () -> NODES.numberNode(random.nextInt()), () -> NODES.numberNode(Long.MIN_VALUE),
                () -> NODES.numberNode(new BigInteger("123456789012345678901234567890")),
                () -> NODES.numberNode(-0.0), () -> NODES.numberNode(1e308), () -> NODES.numberNode(4.9e-324),
                () -> NODES.booleanNode(random.nextBoolean()), NODES::nullNode, () -> NODES.textNode(""),
                () -> NODES.textNode("text"), NODES::arrayNode, () -> NODES.arrayNode().add(1).add("a").addNull(),
                NODES::objectNode, () -> NODES.objectNode().set("a", NODES.objectNode().put("b", 1)),
                () -> NODES.arrayNode().add(NODES.objectNode().put("id", "x").put("type", "crm")));
        return OddValues.pick(random, values).get();
    }

    private byte[] hugeString(ObjectNode e) {
        int length = OddValues.pick(random, List.of(maxPayloadBytes / 8, maxPayloadBytes / 2,
                maxPayloadBytes - 1200 + random.nextInt(1000), maxPayloadBytes + random.nextInt(64), 200_000,
                900_000));
        String unit = OddValues.pick(random, List.of("x", "\uD83D\uDE00", "\"", "\\", "\u0000", "\u00E9", "a b "));
        String huge = unit.repeat(Math.max(1, length / unit.length()));
        String path = OddValues.pick(random, Stream.concat(ID_PATHS.stream(), TEXT_PATHS.stream()).toList());
        if (random.nextInt(4) == 0) {
            ObjectNode properties = e.get("properties") instanceof ObjectNode p ? p : e.putObject("properties");
            properties.put(huge, 1); // a huge key
        } else {
            set(e, path, NODES.textNode(huge));
        }
        byte[] bytes = encode(e);
        while (bytes.length > MAX_RECORD_BYTES) {
            bytes = Arrays.copyOf(bytes, MAX_RECORD_BYTES); // cut: then also invalid JSON
        }
        return bytes;
    }

    private byte[] deepNesting(ObjectNode e) {
        int depth = OddValues.pick(random, List.of(32, 63, 64, 65, 1000, 1001, 10_000, 100_000));
        boolean arrays = random.nextBoolean();
        StringBuilder deep = new StringBuilder(depth * 6);
        deep.append((arrays ? "[" : "{\"a\":").repeat(depth)).append("1");
        if (random.nextInt(4) > 0) { // else unbalanced
            deep.append((arrays ? "]" : "}").repeat(depth));
        }
        if (random.nextInt(3) == 0) {
            return deep.toString().getBytes(StandardCharsets.UTF_8);
        }
        set(e, OddValues.pick(random, List.of("properties.deep", "traits.deep", "deep", "context.deep")),
                NODES.textNode(PLACEHOLDER));
        String text = new String(encode(e), StandardCharsets.UTF_8);
        return text.replace("\"" + PLACEHOLDER + "\"", deep).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] oddUnicode(ObjectNode e) {
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            switch (random.nextInt(5)) {
                case 0 -> { // an odd key where the job reads keys: properties, traits, consent purposes
                    String parent = OddValues.pick(random,
                            List.of("properties", "traits", "context.traits", "context.consent.categoryPreferences"));
                    set(e, parent + "." + OddValues.unicode(random).replace('.', '_'),
                            parent.endsWith("Preferences") ? NODES.booleanNode(true) : NODES.textNode("v"));
                }
                case 1 -> set(e, "context.externalIds.0",
                        NODES.objectNode().put("id", OddValues.unicode(random)).put("type", OddValues.unicode(random)));
                default -> {
                    String path = OddValues.pick(random, Stream.concat(ID_PATHS.stream(), TEXT_PATHS.stream()).toList());
                    String odd = OddValues.unicode(random);
                    JsonNode old = JsonPaths.get(e, path);
                    set(e, path, NODES.textNode(old.isTextual() && random.nextBoolean() ? old.textValue() + odd : odd));
                }
            }
        }
        return encode(e);
    }

    private byte[] invalidUtf8(ObjectNode e) {
        byte[] bytes = encode(e);
        return switch (random.nextInt(5)) {
            case 0 -> { // an invalid sequence inside a string value
                set(e, OddValues.pick(random, TEXT_PATHS), NODES.textNode(PLACEHOLDER));
                byte[] text = encode(e);
                int at = indexOf(text, PLACEHOLDER.getBytes(StandardCharsets.US_ASCII));
                yield concat(Arrays.copyOf(text, at), OddValues.pick(random, OddValues.INVALID_UTF8),
                        Arrays.copyOfRange(text, at + PLACEHOLDER.length(), text.length));
            }
            case 1 -> { // anywhere
                int at = random.nextInt(bytes.length + 1);
                yield concat(Arrays.copyOf(bytes, at), OddValues.pick(random, OddValues.INVALID_UTF8),
                        Arrays.copyOfRange(bytes, at, bytes.length));
            }
            case 2 -> { // a legacy system writing Latin-1
                set(e, "traits.city", NODES.textNode("K\u00F6ln \u00C9pinal"));
                yield new String(encode(e), StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
            }
            case 3 -> new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
            default -> { // one byte overwritten with a continuation or illegal byte
                byte[] copy = bytes.clone();
                copy[random.nextInt(copy.length)] = (byte) (0x80 + random.nextInt(0x80));
                yield copy;
            }
        };
    }

    private byte[] extremeTimestamp(ObjectNode e) {
        switch (random.nextInt(6)) {
            case 0 -> e.put("timestamp", OddValues.pick(random, List.of(Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0L,
                    1_732_356_900_000L)));
            case 1 -> e.remove("timestamp");
            default -> e.put("timestamp", OddValues.pick(random, OddValues.TIMESTAMPS));
        }
        return encode(e);
    }

    private byte[] missingId(ObjectNode e) {
        switch (random.nextInt(4)) {
            case 0 -> { // messageId absent, null or blank
                if (random.nextBoolean()) {
                    e.remove("messageId");
                } else {
                    set(e, "messageId", random.nextBoolean() ? NODES.nullNode()
                            : NODES.textNode(OddValues.pick(random, OddValues.BLANK)));
                }
            }
            case 1 -> { // no identifier at all
                for (String path : List.of("userId", "anonymousId", "previousId", "traits.email", "traits.phone",
                        "context.traits", "context.device", "context.externalIds")) {
                    JsonPaths.remove(e, path);
                }
            }
            case 2 -> { // every identifier there, but null, blank or blank-looking
                for (String path : ID_PATHS.subList(1, ID_PATHS.size())) {
                    JsonNode value = switch (random.nextInt(3)) {
                        case 0 -> NODES.nullNode();
                        case 1 -> NODES.textNode(OddValues.pick(random, OddValues.BLANK));
                        default -> NODES.textNode(OddValues.pick(random, OddValues.NEARLY_BLANK));
                    };
                    set(e, path, value);
                }
            }
            default -> set(e, "context.externalIds", random.nextBoolean() ? NODES.arrayNode()
                    : NODES.arrayNode().add(NODES.objectNode().put("id", "").put("type", "")));
        }
        return encode(e);
    }

    private byte[] notAnObject(ObjectNode e) {
        String text = switch (random.nextInt(4)) {
            case 0 -> "[" + RAW.valueToTree(e) + "]";
            case 1 -> e.toString() + " " + e.toString().substring(0, 10);
            default -> OddValues.pick(random, SYNTAX);
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Sets a field; a messageId keeps its original text inside so that it stays unique. */
    private void set(ObjectNode e, String path, JsonNode value) {
        JsonNode old = JsonPaths.get(e, path);
        if (path.equals("messageId") && value.isTextual() && old.isTextual() && !value.textValue().isBlank()
                && !value.textValue().contains(old.textValue())) {
            value = NODES.textNode(random.nextBoolean() ? old.textValue() + value.textValue()
                    : value.textValue() + old.textValue());
        }
        JsonPaths.set(e, path, value);
    }

    /** UTF-8 as most clients write it, or with every non-ASCII character escaped (lone surrogates only so). */
    static byte[] encode(JsonNode e) {
        try {
            return RAW.writeValueAsBytes(e);
        } catch (JsonProcessingException rawFailed) {
            try {
                return ESCAPED.writeValueAsBytes(e);
            } catch (JsonProcessingException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("placeholder not found");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
