package dev.streamingcdp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.SegmentDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON that `cdp segments push` writes: the checked document, read back by the job as the same definition. */
class SegmentDocumentTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final SegmentCatalog CATALOG = SegmentCatalog.load(DEMO);
    private static final Set<String> DESTINATIONS = Set.of("email-marketing", "ads-prospecting", "web-personalisation");

    @TempDir
    Path dir;

    @Test
    void everyShippedSegmentBecomesTheSameDocumentAsJson() throws IOException {
        for (SegmentDefinition expected : CATALOG.segments()) {
            Path file = DEMO.resolve("segments/" + expected.id() + ".yaml");
            SegmentDocument doc = SegmentDocument.read(file, CATALOG, DESTINATIONS);

            assertThat(doc.definition()).isEqualTo(expected);
            assertThat(new ObjectMapper().readTree(doc.json())).isEqualTo(new YAMLMapper().readTree(file.toFile()));
            assertThat(doc.json()).doesNotContain("\n", "yaml-language-server");
            assertThat(CATALOG.definitionFromJson(doc.json())).isEqualTo(expected);
        }
    }

    @Test
    void numbersStayExact() throws IOException {
        Path file = write("big-spenders.yaml", """
                id: big-spenders
                name: Big spenders
                version: 3
                destinations: [ads-prospecting]
                condition:
                  all:
                    - {computed: lifetime_revenue, between: [1000.50, 99999999999999999999.10]}
                    - {trait: score, equals: 0.1}
                """);
        String json = SegmentDocument.read(file, CATALOG, DESTINATIONS).json();

        assertThat(json).contains("\"version\":3", "[1000.50,99999999999999999999.10]", "\"equals\":0.1");
    }

    @Test
    void aJsonFileIsReadAsJson() throws IOException {
        Path file = write("retention-offer.json", """
                {
                  "id": "retention-offer", "name": "Retention offer", "version": 2,
                  "destinations": ["web-personalisation"], "consent": "personalisation",
                  "condition": {"all": [{"trait": "intent_to_cancel", "equals": true},
                                        {"type": "page", "within": "30m"}]}
                }
                """);
        SegmentDocument doc = SegmentDocument.read(file, CATALOG, DESTINATIONS);

        assertThat(doc.definition().version()).isEqualTo(2);
        assertThat(doc.json()).startsWith("{\"id\":\"retention-offer\",").contains("\"within\":\"30m\"");
    }

    @Test
    void problemsNameTheFileLineAndField() throws IOException {
        Path yaml = write("bad.yaml", """
                id: bad
                name: Bad
                version: 1
                destinations: [email-marketing]
                condition: {event: Order Completed, within: 7 days}
                """);
        Path json = write("bad.json", "{\"id\": \"bad\",\n \"name\": }\n");
        Path unknownTrait = write("loyal.yaml", """
                id: loyal
                name: Loyal
                version: 1
                destinations: [email-marketing]
                condition: {computed: orders_365d, greaterThan: 5}
                """);

        assertThatThrownBy(() -> SegmentDocument.read(yaml, CATALOG, DESTINATIONS)).isInstanceOf(ConfigException.class)
                .hasMessage(yaml + " line 5, field 'condition.within': '7 days' is not a valid duration "
                        + "(e.g. 30m, 7d, ever)");
        assertThatThrownBy(() -> SegmentDocument.read(json, CATALOG, DESTINATIONS)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(json + " line 2: not valid JSON: ");
        assertThatThrownBy(() -> SegmentDocument.read(unknownTrait, CATALOG, DESTINATIONS))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(unknownTrait + " line 5, field 'condition.computed': unknown computed trait "
                        + "'orders_365d' (declared: lifetime_revenue, orders_90d)");
        assertThatThrownBy(() -> SegmentDocument.read(dir.resolve("nope.yaml"), CATALOG, DESTINATIONS))
                .hasMessage(dir.resolve("nope.yaml") + ": file not found");
    }

    @Test
    void aFileHoldsOneDefinition() throws IOException {
        String one = Files.readString(DEMO.resolve("segments/retention-offer.yaml"));
        Path file = write("two.yaml", one + "---\n" + one.replace("retention-offer", "retention-offer-2"));

        assertThatThrownBy(() -> SegmentDocument.read(file, CATALOG, DESTINATIONS))
                .hasMessage(file + ": holds 2 documents; write one definition per file");
    }

    @Test
    void everyDestinationMustBeOneOfTheJobs() throws IOException {
        Path yaml = write("lookalikes.yaml", """
                id: lookalikes
                name: Lookalikes
                version: 1
                destinations:
                  - ads-prospecting
                  - ads-lookalike
                condition: {computed: lifetime_revenue, greaterThan: 500}
                """);
        Path json = write("lookalikes.json", """
                {"id": "lookalikes", "name": "Lookalikes", "version": 1,
                 "destinations": ["ads-lookalike"], "condition": {"computed": "orders_90d", "greaterThan": 1}}
                """);

        assertThatThrownBy(() -> SegmentDocument.read(yaml, CATALOG, DESTINATIONS))
                .hasMessage(yaml + " line 6, field 'destinations[1]': 'ads-lookalike' is not a destination of this job "
                        + "(ads-prospecting, email-marketing, web-personalisation)");
        assertThatThrownBy(() -> SegmentDocument.read(json, CATALOG, DESTINATIONS))
                .hasMessageStartingWith(json + " line 2, field 'destinations[0]': 'ads-lookalike' is not");
        assertThat(SegmentDocument.read(yaml, CATALOG, Set.of()).definition().destinations())
                .as("a job without destinations.yaml: activation is off, any name goes")
                .containsExactly("ads-prospecting", "ads-lookalike");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
