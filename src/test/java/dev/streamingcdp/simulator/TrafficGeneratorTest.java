package dev.streamingcdp.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.simulator.RecordKind.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

    private static final Instant START = Instant.parse("2025-06-01T09:00:00Z");
    private static final SimulationOptions OPTIONS = SimulationOptions.defaults(START);
    private static final int N = 10_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JobInput input;
    private static List<SimulatedRecord> records;

    @BeforeAll
    static void generate() {
        input = new JobInput("cdp.events.json", "cdp.events.avro", 65536, "US");
        records = generate(OPTIONS, input, N);
    }

    private static List<SimulatedRecord> generate(SimulationOptions options, JobInput in, int count) {
        TrafficGenerator generator = new TrafficGenerator(options, in);
        List<SimulatedRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(generator.next());
        }
        return out;
    }

    @Test
    void sameOptionsGiveByteIdenticalTraffic() {
        List<SimulatedRecord> again = generate(OPTIONS, input, N);
        for (int i = 0; i < N; i++) {
            SimulatedRecord a = records.get(i);
            SimulatedRecord b = again.get(i);
            assertThat(b.value()).as("record %d", i).isEqualTo(a.value());
            assertThat(List.of(b.topic(), String.valueOf(b.key()), b.kind()))
                    .isEqualTo(List.of(a.topic(), String.valueOf(a.key()), a.kind()));
        }
    }

    @Test
    void anotherSeedGivesOtherTraffic() {
        SimulationOptions other = new SimulationOptions(43, OPTIONS.customers(), OPTIONS.malformedShare(),
                OPTIONS.duplicateShare(), OPTIONS.avroShare(), START, OPTIONS.timeStep());
        List<SimulatedRecord> different = generate(other, input, 100);
        long same = 0;
        for (int i = 0; i < 100; i++) {
            same += Arrays.equals(different.get(i).value(), records.get(i).value()) ? 1 : 0;
        }
        assertThat(same).isZero();
    }

    @Test
    void sharesAreCloseToTheConfiguredOnes() {
        Map<Outcome, Long> byOutcome = records.stream()
                .collect(Collectors.groupingBy(r -> r.kind().outcome(), Collectors.counting()));
        assertThat(byOutcome.get(Outcome.MALFORMED) / (double) N).isBetween(0.015, 0.025);
        assertThat(byOutcome.get(Outcome.DUPLICATE) / (double) N).isBetween(0.007, 0.013);
        List<SimulatedRecord> valid = ofOutcome(Outcome.VALID);
        long avro = valid.stream().filter(r -> r.format() == Format.AVRO).count();
        assertThat(avro / (double) valid.size()).isBetween(0.08, 0.12);
    }

    @Test
    void everyMalformedKindAppears() {
        Set<RejectCode> kinds = ofOutcome(Outcome.MALFORMED).stream().map(r -> r.kind().reason())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RejectCode.class)));
        assertThat(kinds).containsExactlyInAnyOrder(RejectCode.values());
    }

    @Test
    void everyRecordIsRejectedForItsOwnReasonOrAccepted() {
        ReferenceValidator validator = new ReferenceValidator(input.maxPayloadBytes());
        for (SimulatedRecord r : records) {
            RejectCode expected = r.kind().outcome() == Outcome.MALFORMED ? r.kind().reason() : null;
            assertThat(validator.classify(r).orElse(null)).as("%s: %s", r.kind().label(), preview(r))
                    .isEqualTo(expected);
        }
    }

    @Test
    void validJsonEventsCarryTheFieldsOfTheirType() throws Exception {
        Set<String> types = new HashSet<>();
        for (SimulatedRecord r : ofOutcome(Outcome.VALID)) {
            if (r.format() != Format.JSON) {
                continue;
            }
            JsonNode e = MAPPER.readTree(r.value());
            String type = e.get("type").asText();
            types.add(type);
            assertThat(type).isEqualTo(r.kind().eventType());
            assertThat(e.get("messageId").asText()).isEqualTo(r.messageId());
            assertThat(e.get("channel").asText()).isNotBlank();
            OffsetDateTime.parse(e.get("timestamp").asText());
            assertThat(ReferenceValidator.fields(e).identifiers()).as(e.toString()).isNotEmpty();
            switch (type) {
                case "track" -> assertThat(e.get("event").asText()).isNotBlank();
                case "alias" -> assertThat(e.has("previousId") && e.has("userId")).isTrue();
                case "group" -> assertThat(e.get("groupId").asText()).isNotBlank();
                default -> { }
            }
        }
        assertThat(types).containsExactlyInAnyOrder("identify", "track", "page", "screen", "alias", "group");
    }

    @Test
    void avroEventsDecodeWithTheGeneratedClass() throws Exception {
        List<SimulatedRecord> avro = ofOutcome(Outcome.VALID).stream().filter(r -> r.format() == Format.AVRO)
                .toList();
        assertThat(avro).isNotEmpty();
        for (SimulatedRecord r : avro) {
            assertThat(r.topic()).isEqualTo(input.avroTopic());
            SegmentEvent e = SegmentEvent.getDecoder().decode(r.value());
            assertThat(e.getType()).isEqualTo(r.kind().eventType());
            assertThat(e.getMessageId()).isEqualTo(r.messageId());
            if (e.getEvent() != null && e.getEvent().equals("Order Completed")) {
                assertThat((String) e.getProperties().get("products")).startsWith("[{\"product_id\":");
            }
        }
    }

    @Test
    void duplicatesRepeatAnEarlierValidRecordExactly() {
        Map<String, SimulatedRecord> valid = new HashMap<>();
        for (SimulatedRecord r : records) {
            switch (r.kind().outcome()) {
                case VALID -> assertThat(valid.put(r.messageId(), r)).as("messageIds are unique").isNull();
                case DUPLICATE -> {
                    SimulatedRecord original = valid.get(r.messageId());
                    assertThat(original).isNotNull();
                    assertThat(r.value()).isEqualTo(original.value());
                    assertThat(r.key()).isEqualTo(original.key());
                    assertThat(r.topic()).isEqualTo(original.topic());
                }
                case MALFORMED -> assertThat(r.messageId()).isNull();
            }
        }
    }

    @Test
    void eventTimeFollowsTheSimulatedClock() throws Exception {
        Instant last = START.plus(OPTIONS.timeStep().multipliedBy(N));
        long withOffset = 0;
        for (SimulatedRecord r : ofOutcome(Outcome.VALID)) {
            if (r.format() == Format.JSON) {
                String ts = MAPPER.readTree(r.value()).get("timestamp").asText();
                Instant at = OffsetDateTime.parse(ts).toInstant();
                assertThat(at).isBetween(START.minus(Duration.ofSeconds(3)), last);
                withOffset += ts.endsWith("Z") ? 0 : 1;
            }
        }
        assertThat(withOffset).isPositive().isLessThan(N / 4);
    }

    @Test
    void recordsAreKeyedByCustomer() {
        assertThat(ofOutcome(Outcome.VALID)).allSatisfy(r -> assertThat(r.key()).matches("cust-\\d{6}"));
    }

    @Test
    void aJobWithoutAvroTopicGetsOnlyJson() {
        JobInput jsonOnly = new JobInput(input.jsonTopic(), null, input.maxPayloadBytes(), "US");
        List<SimulatedRecord> out = generate(OPTIONS, jsonOnly, 2000);
        assertThat(out).allSatisfy(r -> assertThat(r.format()).isEqualTo(Format.JSON));
        assertThat(out).noneSatisfy(r -> assertThat(r.kind().reason()).isEqualTo(RejectCode.BAD_AVRO));
    }

    private static List<SimulatedRecord> ofOutcome(Outcome outcome) {
        return records.stream().filter(r -> r.kind().outcome() == outcome).toList();
    }

    private static String preview(SimulatedRecord r) {
        String text = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
