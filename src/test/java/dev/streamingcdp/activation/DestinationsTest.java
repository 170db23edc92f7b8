package dev.streamingcdp.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.segment.SegmentCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** destinations.yaml: the shipped one loads; a bad one stops the start with file, line and field. */
class DestinationsTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");

    @TempDir
    Path dir;

    @Test
    void theRetailDemoFeedsEverySegmentToAKnownDestination() {
        Destinations d = Destinations.load(DEMO, SegmentCatalog.load(DEMO));
        assertThat(d.destinations()).extracting(Destinations.Destination::name)
                .containsExactly("email-marketing", "ads-prospecting", "web-personalisation");
        assertThat(d.grantedByDefault("marketing")).isFalse();
        assertThat(d.grantedByDefault("personalisation")).isTrue();
        assertThat(d.grantedByDefault("some-new-purpose")).isFalse();
    }

    @Test
    void aSegmentFeedingAnUnknownDestinationStopsTheStart() throws Exception {
        write("""
                destinations:
                  - {name: email-marketing, topic: t1, purpose: marketing}
                """);
        assertThatThrownBy(() -> Destinations.load(dir, SegmentCatalog.load(DEMO)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("segment 'prospecting-ads'").hasMessageContaining("destinations[0]")
                .hasMessageContaining("'ads-prospecting' is not a destination");
    }

    @Test
    void badFilesNameTheFileAndTheField() throws Exception {
        for (var c : List.of(
                List.of("destinations:\n  - {name: a, topic: t, purpose: marketing}\n  - {name: a, topic: u, purpose: x}\n",
                        "destinations[1].name"),
                List.of("destinations:\n  - {name: a, topic: t}\n", "purpose"),
                List.of("destinations:\n  - {name: a, topic: t, purpose: p, identifiers: {email: md5}}\n", "md5"),
                List.of("destinations:\n  - {name: a, topic: t, purpose: p, format: xml}\n", "xml"),
                List.of("destinations:\n  - {name: Bad Name, topic: t, purpose: p}\n", "destinations[0].name"))) {
            write(c.get(0));
            assertThatThrownBy(() -> Destinations.load(dir, new SegmentCatalog(List.of(), List.of())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(dir.resolve(Destinations.FILE).toString())
                    .hasMessageContaining(c.get(1));
        }
    }

    private void write(String yaml) throws Exception {
        Files.writeString(dir.resolve(Destinations.FILE), yaml);
    }
}
