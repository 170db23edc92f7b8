package dev.streamingcdp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobDefinitionTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");

    @TempDir
    Path dir;

    @Test
    void theShippedDemoLoads() {
        JobDefinition job = JobDefinition.load(DEMO);
        assertThat(job.name()).isEqualTo("retail-demo");
        assertThat(job.delivery()).isEqualTo(JobDefinition.DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(job.topics().events()).extracting(JobDefinition.InputTopic::format)
                .containsExactly(JobDefinition.Format.JSON, JobDefinition.Format.AVRO);
        assertThat(job.checkpoint().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(job.ingest().dedupHorizon()).isEqualTo(Duration.ofHours(24));
        assertThat(job.network().bufferTimeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(job.store()).as("the store is written only where job.yaml has a store: section").isNull();
        assertThat(job.serve().apiKeys()).hasSize(1);
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> JobDefinition.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("job.yaml") + ": file not found");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        // replace this                | with this                    | expected message part
        "'  interval: 5s'              | '  interval: 5 seconds'      | field 'checkpoint.interval': '5 seconds' is not a valid duration",
        "'parallelism: 2'              | 'parallelism: 0'             | field 'parallelism': must be greater than 0",
        "'parallelism: 2'              | 'parallelism: two'           | field 'parallelism'",
        "'delivery: EXACTLY_ONCE'      | 'delivery: SOMETIMES'        | field 'delivery': 'SOMETIMES' is not a valid value (one of EXACTLY_ONCE | AT_LEAST_ONCE)",
        "'  startingOffsets: committed' | '  startingOffset: latest'  | field 'kafka.startingOffset': unknown field 'startingOffset'",
        "'  consumerGroup: cdp-retail-demo' | ''                      | field 'kafka.consumerGroup': is required",
        "'  transactionTimeout: 10m'   | '  transactionTimeout: 1h'   | field 'kafka.transactionTimeout': must be at most 15m",
        "'  defaultPhoneRegion: US'    | '  defaultPhoneRegion: USA'  | field 'ingest.defaultPhoneRegion': 'USA' is not an ISO 3166 region",
        "'      format: avro'          | '      format: xml'          | field 'topics.events[1].format'",
        "'  deadLetter: cdp.dead-letter' | '  deadLetter: \"\"'       | field 'topics.deadLetter': must not be blank",
        "'    outOfOrderness: 10s'     | '    outOfOrderness: 0s'     | field 'ingest.watermarks.outOfOrderness': must be longer than 0",
        "'  bufferTimeout: 10ms'       | '  bufferTimeout: 0ms'       | field 'network.bufferTimeout': must be longer than 0",
        "'name: retail-demo'           | 'name: \"retail-demo'        | not valid YAML",
        "'    maxShare: 0.5'           | '    maxShare: 1.5'           | field 'segments.backfill.maxShare': must be more than 0 and at most 1, was 1.5",
        "'  localManagedMemory: 512mb' | '  localManagedMemory: lots' | field 'state.localManagedMemory': 'lots' is not a memory size",
        "'name: retail-demo'           | 'name: [retail'              | field 'name': wrong type, expected string",
        "'  port: 8090'                | '  port: 80900'              | field 'serve.port': must be a port number",
        "'    - sha256:'               | '    - plain-key-'          | field 'serve.apiKeys[0]': must be env:NAME or sha256:",
        "'#store:'                     | 'store:\n  user: postgres\n  jdbcUrl: mysql://x\n#' | field 'store.jdbcUrl': must be a PostgreSQL JDBC URL",
        "'#store:'                     | 'store:\n  user: postgres\n  jdbcUrl: jdbc:postgresql://h/db\n  batchSize: 0\n#' | field 'store.batchSize': must be greater than 0",
        "'#store:'                     | 'store:\n  user: postgres\n  jdbcUrl: jdbc:postgresql://h/db\n  maxBuffered: 10\n#' | field 'store.maxBuffered': must be at least store.batchSize (500)",
        "'#store:'                     | 'store:\n  user: postgres\n  jdbcUrl: jdbc:postgresql://h/db\n  password: env:CDP_NO_SUCH_VARIABLE\n#' | field 'store.password': environment variable CDP_NO_SUCH_VARIABLE is not set",
        "'#store:'                     | 'store:\n  jdbcUrl: jdbc:postgresql://h/db\n  batchSize: 10\n#' | field 'store.user': is required"})
    void aBadFieldStopsTheStartWithOneLineNamingFileAndField(String from, String to, String expected)
            throws IOException {
        String demo = Files.readString(DEMO.resolve("job.yaml"));
        assertThat(demo).contains(from);
        Files.writeString(dir.resolve("job.yaml"), demo.replace(from, to.replace("\\n", "\n")));

        assertThatThrownBy(() -> JobDefinition.load(dir))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith(dir.resolve("job.yaml").toString())
                        .contains(expected)
                        .doesNotContain("\n"));
    }
}
