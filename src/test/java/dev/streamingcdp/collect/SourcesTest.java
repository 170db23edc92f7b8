package dev.streamingcdp.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamingcdp.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {

    @TempDir
    Path dir;

    @Test
    void theDemoFileLoadsAndItsKeysResolve() {
        Sources s = Sources.load(Path.of("jobs/retail-demo"), Map.<String, String>of()::get);
        assertThat(s.byWriteKey("demo-web-key")).hasValueSatisfying(x -> assertThat(x.channel()).isEqualTo("browser"));
        assertThat(s.byWriteKey("demo-server-key")).isPresent();
        assertThat(s.byWriteKey("other")).isEmpty();
    }

    @Test
    void envKeysResolveFromTheEnvironment() throws Exception {
        write("sources:\n  - name: a\n    channel: web\n    writeKey: env:KEY_A\n");
        assertThat(Sources.load(dir, Map.of("KEY_A", "secret")::get).byWriteKey("secret")).isPresent();
        assertThatThrownBy(() -> Sources.load(dir, Map.<String, String>of()::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sources.yaml").hasMessageContaining("sources[0].writeKey")
                .hasMessageContaining("KEY_A");
    }

    @Test
    void badFilesNameFileLineAndField() throws Exception {
        write("sources:\n  - name: a\n    channel: web\n    writeKey: plain-key\n");
        assertThatThrownBy(() -> Sources.load(dir, k -> null)).hasMessageContaining("sources[0].writeKey")
                .hasMessageContaining("env:NAME or sha256");
        write("sources:\n  - name: a\n    chanel: web\n    writeKey: env:X\n");
        assertThatThrownBy(() -> Sources.load(dir, k -> null)).hasMessageMatching(".*sources.yaml line \\d+, "
                + "field 'sources\\[0\\].channel': is required");
        write("sources:\n  - name: a\n    channel: web\n    writeKey: env:X\n    allowedOrigins: [http://a.test/path]\n");
        assertThatThrownBy(() -> Sources.load(dir, k -> "k")).hasMessageContaining("allowedOrigins");
    }

    private void write(String yaml) throws Exception {
        Files.writeString(dir.resolve(Sources.FILE), yaml);
    }
}
