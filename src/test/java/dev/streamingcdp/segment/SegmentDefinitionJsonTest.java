package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamingcdp.config.ConfigException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentDefinitionJsonTest {

    @Test
    void theControlTopicCarriesTheSameDocumentsAsJson() throws IOException {
        SegmentCatalog catalog = SegmentCatalog.load(SegmentCatalogTest.DEMO);
        for (SegmentDefinition expected : catalog.segments()) {
            String json = new JsonMapper().writeValueAsString(new YAMLMapper().readTree(
                    SegmentCatalogTest.DEMO.resolve("segments/" + expected.id() + ".yaml").toFile()));
            assertThat(SegmentDefinition.fromJson(json)).isEqualTo(expected);
            assertThat(catalog.definitionFromJson(json)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "'{\"id\": \"x\"'                                          | not valid JSON",
        "'[1, 2]'                                                  | field '': must be an object",
        "'{\"id\": \"x\", \"name\": \"X\", \"version\": 1, \"destinations\": [\"a\"]}' | field 'condition': is required",
        "'{\"id\": \"x\", \"name\": \"X\", \"version\": 1, \"destinations\": [\"a\"],\n \"condition\": {\"event\": \"A\", \"within\": \"7 days\"}}' | line 2, field 'condition.within': '7 days' is not a valid duration"})
    void aBadDocumentIsRejectedWithAReason(String json, String reason) {
        assertThatThrownBy(() -> SegmentDefinition.fromJson(json.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith(DefinitionFiles.CONTROL_SOURCE).contains(reason).doesNotContain("\n"));
    }

    @Test
    void aControlDocumentMayOnlyUseDeclaredComputedTraits() {
        String json = """
                {"id": "loyal", "name": "Loyal", "version": 1, "destinations": ["email-marketing"],
                 "condition": {"computed": "orders_365d", "greaterThan": 5}}""";
        assertThat(SegmentDefinition.fromJson(json).condition())
                .isInstanceOf(Condition.Computed.class);
        assertThatThrownBy(() -> SegmentCatalog.load(SegmentCatalogTest.DEMO).definitionFromJson(json))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field 'condition.computed': unknown computed trait 'orders_365d'");
    }
}
