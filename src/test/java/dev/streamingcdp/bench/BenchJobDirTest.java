package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.JobDefinition.DeliveryGuarantee;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.simulator.JobInput;
import dev.streamingcdp.simulator.SimulationOptions;
import dev.streamingcdp.simulator.TrafficGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchJobDirTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void theCopyIsAValidJobWithTheGeneratedSegments() {
        Path dir = temp.resolve("job");
        BenchJobDir.write(Path.of("jobs/retail-demo"), dir, "127.0.0.1:49092", DeliveryGuarantee.AT_LEAST_ONCE,
                temp.resolve("cp"), "60s", 3, "email-marketing", null);

        JobDefinition job = JobDefinition.load(dir);
        assertThat(job.store()).isNull();
        assertThat(job.kafka().bootstrapServers()).isEqualTo("127.0.0.1:49092");
        assertThat(job.delivery()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(job.checkpoint().dir()).isEqualTo(temp.resolve("cp").toUri().toString());
        assertThat(job.checkpoint().interval()).isEqualTo(Duration.ofSeconds(60));
        // SegmentCatalog and Destinations check every definition as the job does at start
        SegmentCatalog segments = SegmentCatalog.load(dir);
        Destinations.load(dir, segments);
        assertThat(dir.resolve("segments/bench-window-3.yaml")).exists();
        assertThat(dir.resolve("segments/bench-window-4.yaml")).doesNotExist();
        assertThat(dir.resolve("segments/bench-probe.yaml")).content().contains("destinations: [email-marketing]");
    }

    @Test
    void withAStoreTheCopyWritesIt() {
        Path dir = temp.resolve("job-with-store");
        BenchJobDir.write(Path.of("jobs/retail-demo"), dir, "127.0.0.1:49092", DeliveryGuarantee.EXACTLY_ONCE,
                temp.resolve("cp"), null, 0, "email-marketing", "jdbc:postgresql://127.0.0.1:15432/postgres");

        JobDefinition job = JobDefinition.load(dir);
        assertThat(job.store().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:15432/postgres");
        assertThat(job.store().user()).isEqualTo("postgres");
    }

    @Test
    void mergeLinksFollowTheirPageViewAndNameTheAbsorbedProfile() throws Exception {
        JobDefinition job = JobDefinition.load(Path.of("jobs/retail-demo"));
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        BenchTraffic traffic = new BenchTraffic(new TrafficGenerator(
                new SimulationOptions(1, 100, 0, 0, 0, start, Duration.ofMillis(10)), JobInput.of(job)),
                "cdp.events.json", "t", 0.1, 0.05, 20, start, Duration.ofMillis(10), 7);
        List<BenchTraffic.Record> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(traffic.next());
        }

        List<BenchTraffic.Record> starts = kind(records, BenchTraffic.Kind.MERGE_START);
        List<BenchTraffic.Record> links = kind(records, BenchTraffic.Kind.MERGE_LINK);
        assertThat(starts).hasSizeBetween(150, 250);
        // the last few starts' links are not due yet when the run ends
        assertThat(links.size()).isBetween(starts.size() - 10, starts.size());
        for (BenchTraffic.Record link : links) {
            JsonNode event = JSON.readTree(link.value());
            assertThat(event.path("type").asText()).isEqualTo("identify");
            String cookie = event.path("anonymousId").asText();
            assertThat(link.profileId()).isEqualTo(BenchTraffic.profileId("anonymous_id", cookie));
            int linkAt = records.indexOf(link);
            int startAt = indexOfCookie(records, cookie);
            assertThat(linkAt - startAt).isGreaterThanOrEqualTo(20);
        }
        for (BenchTraffic.Record probe : kind(records, BenchTraffic.Kind.PROBE)) {
            JsonNode event = JSON.readTree(probe.value());
            assertThat(event.path("traits").path(BenchJobDir.PROBE_TRAIT).asBoolean()).isTrue();
            assertThat(probe.profileId()).isEqualTo(BenchTraffic.profileId("user_id", event.path("userId").asText()));
        }
        assertThat(kind(records, BenchTraffic.Kind.SIMULATED)).hasSizeGreaterThan(1500);
    }

    @Test
    void theBaselineKeysByCustomerAndCountsUnparsableRecordsToo() {
        assertThat(CustomerKeyDeserializer.customer("{\"userId\":\"u1\",\"anonymousId\":\"a\"}".getBytes()))
                .isEqualTo("u1");
        assertThat(CustomerKeyDeserializer.customer("{\"anonymousId\":\"a\"}".getBytes())).isEqualTo("a");
        assertThat(CustomerKeyDeserializer.customer("{\"type\":".getBytes()))
                .isEqualTo(CustomerKeyDeserializer.UNPARSABLE);
        assertThat(CustomerKeyDeserializer.customer("[1]".getBytes())).isEqualTo(CustomerKeyDeserializer.UNPARSABLE);
    }

    private static List<BenchTraffic.Record> kind(List<BenchTraffic.Record> records, BenchTraffic.Kind kind) {
        return records.stream().filter(r -> r.kind() == kind).toList();
    }

    private static int indexOfCookie(List<BenchTraffic.Record> records, String cookie) throws Exception {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).kind() == BenchTraffic.Kind.MERGE_START
                    && JSON.readTree(records.get(i).value()).path("anonymousId").asText().equals(cookie)) {
                return i;
            }
        }
        return -1;
    }
}
