package dev.streamingcdp.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.kafka.TopicRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** job.yaml's privacy settings and request topic. */
class PrivacySettingsTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");

    @TempDir
    Path dir;

    @Test
    void theDemoHasARequestTopicOfOnePartitionAndItsOwnSalt() {
        JobDefinition job = JobDefinition.load(DEMO);
        assertThat(TopicRegistry.byRole(job, TopicRegistry.Role.PRIVACY_REQUESTS)).singleElement()
                .satisfies(t -> {
                    assertThat(t.name()).isEqualTo("cdp.privacy.requests");
                    assertThat(t.partitions()).isEqualTo(1);
                });
        assertThat(job.privacy().suppressionRetention()).isEqualTo(Duration.ofDays(1095));
        assertThat(job.privacy().erasureGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(job.privacy().salt()).isNotEqualTo(new JobDefinition.Privacy(null, null, null).salt());
    }

    @Test
    void withoutPrivacySettingsTheDefaultsApply() throws IOException {
        String demo = Files.readString(DEMO.resolve("job.yaml"));
        Files.writeString(dir.resolve("job.yaml"), demo.substring(0, demo.indexOf("\nprivacy:")));
        JobDefinition job = JobDefinition.load(dir);
        assertThat(job.privacy().suppressionRetention()).isEqualTo(Duration.ofDays(1095));
        assertThat(job.privacy().salt()).hasSizeGreaterThanOrEqualTo(16);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "'  suppressionSalt: retail-demo-only-salt-replace-me-in-production' | '  suppressionSalt: short' | field 'privacy.suppressionSalt': must be at least 16 characters",
        "'  suppressionSalt: retail-demo-only-salt-replace-me-in-production' | '  suppressionSalt: env:CDP_NO_SUCH_VARIABLE_SET' | field 'privacy.suppressionSalt': environment variable CDP_NO_SUCH_VARIABLE_SET is not set",
        "'  suppressionRetention: 1095d' | '  suppressionRetention: 0d'   | field 'privacy.suppressionRetention': must be longer than 0",
        "'  suppressionRetention: 1095d' | '  suppressionRetention: 3y'   | field 'privacy.suppressionRetention': '3y' is not a valid duration",
        "'  erasureGrace: 1h'            | '  erasureGrace: 4000d'        | field 'privacy.erasureGrace': must not be longer than suppressionRetention",
        "'  privacyRequests: cdp.privacy.requests' | ''                    | field 'topics.privacyRequests': is required"})
    void aBadSettingStopsTheStart(String from, String to, String expected) throws IOException {
        String demo = Files.readString(DEMO.resolve("job.yaml"));
        assertThat(demo).contains(from);
        Files.writeString(dir.resolve("job.yaml"), demo.replace(from, to));
        assertThatThrownBy(() -> JobDefinition.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }
}
