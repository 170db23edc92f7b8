package dev.streamingcdp.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.segment.SegmentCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fault run's oracle and the replay of a destination's topic, without Kafka or Flink. */
class FaultOracleTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");

    @Test
    void theTrafficIsTheSameEveryTimeAndEndsWithOneMarkerPerInputPartition() {
        FaultTraffic traffic = FaultTraffic.of(JobDefinition.load(DEMO), 7, 40);
        List<byte[]> once = traffic.records(500).stream().map(r -> r.value()).toList();
        List<byte[]> again = traffic.records(500).stream().map(r -> r.value()).toList();
        assertThat(again).hasSize(500).zipSatisfy(once, (a, b) -> assertThat(a).isEqualTo(b));
        assertThat(traffic.markers(500)).hasSize(2 * 4)
                .extracting(FaultTraffic.Marker::partition).containsOnly(0, 1, 2, 3);
    }

    @Test
    void theOracleFindsMembersOnEveryDestinationAndHonoursConsent() {
        FaultOracle.Expected all = expected(FaultTraffic.of(JobDefinition.load(DEMO), 7, 40), 6000);
        Map<String, Map<String, Set<String>>> expected = all.destinations();
        // opt-in marketing and advertising: only those who said yes; windows of 1 h have all lapsed at the end
        assertThat(expected.get("email-marketing")).isNotEmpty()
                .allSatisfy((p, s) -> assertThat(s).isSubsetOf("cart-abandoners", "running-shoes-interest"));
        assertThat(expected.get("email-marketing").values()).anyMatch(s -> s.contains("cart-abandoners"));
        assertThat(expected.get("ads-prospecting")).isNotEmpty()
                .allSatisfy((p, s) -> assertThat(s).containsExactly("prospecting-ads"));
        assertThat(expected.get("web-personalisation")).isEmpty();
        // every destination membership is a segment membership, and consent keeps some off
        expected.values().forEach(d -> d.forEach((p, s) -> assertThat(all.segments().get(p)).containsAll(s)));
        assertThat(all.segments().values().stream().mapToInt(Set::size).sum())
                .isGreaterThan(expected.values().stream().flatMap(d -> d.values().stream()).mapToInt(Set::size).sum());
    }

    @Test
    void aConsentThatIsNotGivenKeepsEveryoneOffOptInDestinations() {
        FaultTraffic traffic = FaultTraffic.of(JobDefinition.load(DEMO), 7, 40);
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        Destinations optIn = Destinations.load(DEMO, segments);
        long now = traffic.flushTime(3000).toEpochMilli();
        // the same input without the events that state a consent (Avro carries map keys, not field names)
        List<FaultOracle.Payload> noConsent = traffic.validPayloads(3000).stream()
                .filter(p -> !new String(p.value(), StandardCharsets.ISO_8859_1).contains("marketing")).toList();
        Map<String, Map<String, Set<String>>> expected = new FaultOracle(IdentityRules.load(DEMO), segments, optIn,
                new EventNormalizer("US", "anonymous_id", 1000, 256, Duration.ofHours(1))).expected(noConsent, now)
                .destinations();
        assertThat(expected.get("email-marketing")).isEmpty();
        assertThat(expected.get("ads-prospecting")).isEmpty();
    }

    @Test
    void aReplayCountsRepeatsAndReportsLostChanges() {
        DestinationLog log = DestinationLog.replay(List.of(
                change("p-1", "s", "segment.entered", 1),
                change("p-1", "s", "segment.entered", 1),
                change("p-1", "s", "segment.exited", 2),
                change("p-1", "s", "segment.entered", 3),
                change("p-2", "s", "segment.entered", 1),
                change("p-3", "s", "segment.entered", 2),
                change("p-4", "s", "segment.entered", 1),
                change("p-4", "s", "segment.entered", 2)));
        assertThat(log.records()).isEqualTo(8);
        assertThat(log.repeats()).isEqualTo(1);
        assertThat(log.problems()).containsExactly("p-3 s: lost sequence 1",
                "p-4 s: segment.entered twice in a row at sequence 2");
        assertThat(log.members()).containsOnlyKeys("p-1", "p-2", "p-3", "p-4");
        Map<String, Set<String>> expected = Map.of("p-1", Set.of("s"), "p-5", Set.of("s"));
        assertThat(log.missing(expected)).containsExactly("p-5 s");
        assertThat(log.unexpected(expected)).containsExactlyInAnyOrder("p-2 s", "p-3 s", "p-4 s");
    }

    @Test
    void aRepeatedNumberWithAnotherChangeIsAProblemNotARepeat() {
        DestinationLog log = DestinationLog.replay(List.of(
                change("p-1", "s", "segment.entered", 1),
                change("p-1", "s", "segment.exited", 1)));
        assertThat(log.repeats()).isZero();
        assertThat(log.problems()).containsExactly(
                "p-1 s: sequence 1 came as segment.entered and again as segment.exited");
    }

    private static FaultOracle.Expected expected(FaultTraffic traffic, long count) {
        SegmentCatalog segments = SegmentCatalog.load(DEMO);
        return new FaultOracle(IdentityRules.load(DEMO), segments, Destinations.load(DEMO, segments),
                new EventNormalizer("US", "anonymous_id", 1000, 256, Duration.ofHours(1)))
                .expected(traffic.validPayloads(count), traffic.flushTime(count).toEpochMilli());
    }

    private static ActivationRecord change(String profile, String segment, String type, long sequence) {
        return new ActivationRecord("d", type, segment, 1, profile, Map.of(), 0L, sequence, "{}");
    }
}
