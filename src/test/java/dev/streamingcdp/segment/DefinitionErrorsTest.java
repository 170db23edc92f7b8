package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import dev.streamingcdp.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefinitionErrorsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{5}")
    @CsvSource(delimiter = '|', value = {
        // file (under the job)               | replace                      | with                                   | schema catches it too | line | expected
        "segments/retention-offer.yaml        | 'within: 1h}'                | 'within: 7 days}'                      | true  | 12 | field 'condition.all[1].within': '7 days' is not a valid duration (e.g. 30m, 7d, ever)",
        "segments/retention-offer.yaml        | 'equals: true}'              | 'equals: true, exists: true}'          | true  | 11 | field 'condition.all[0]': has several operators [equals, exists]; write exactly one",
        "segments/retention-offer.yaml        | 'equals: true}'              | 'equal: true}'                         | true  | 11 | field 'condition.all[0].equal': unknown operator 'equal'",
        "segments/retention-offer.yaml        | 'type: page'                 | 'type: pages'                          | true  | 12 | field 'condition.all[1].type': 'pages' is not an event type",
        "segments/retention-offer.yaml        | 'id: retention-offer'        | 'id: Retention_Offer'                  | true  | 3  | field 'id': 'Retention_Offer' may only contain lower-case letters, digits and '-'",
        "segments/retention-offer.yaml        | '{trait: intent_to_cancel, equals: true}' | '{segment: churners}'     | true  | 11 | field 'condition.all[0]': unknown condition [segment]",
        "segments/cart-abandoners.yaml        | '    within: 1h'             | ''                                     | true  | 9  | field 'condition.sequence.within': is required",
        "segments/cart-abandoners.yaml        | 'version: 1'                 | 'version: 0'                           | true  | 4  | field 'version': must be a whole number of at least 1",
        "segments/cart-abandoners.yaml        | 'did: {event: Product Added}' | 'did: {event: Product Added, type: track}' | true | 10 | field 'condition.sequence.did.type': write either 'event' (a track event name) or 'type', not both",
        "segments/cart-abandoners.yaml        | 'destinations: [email-marketing]' | 'destinations: []'                | true  | 6  | field 'destinations': must be a non-empty list of destination names",
        "segments/cart-abandoners.yaml        | 'consent: marketing'         | 'consent: [marketing]'                 | true  | 7  | field 'consent': must be a non-blank string",
        "segments/running-shoes-interest.yaml | '{equals: running-shoes}'    | '{equals: [running-shoes]}'            | true  | 11 | field 'condition.where.category.equals': must be a string, number or boolean",
        "segments/running-shoes-interest.yaml | 'atLeast: 3'                 | 'atleast: 3'                           | true  | 12 | field 'condition.atleast': unknown field 'atleast'",
        "segments/prospecting-ads.yaml        | 'not: {event: Order Completed, within: ever}' | 'not: {}'     | true  | 11 | field 'condition.all[0].not': must be a condition",
        "computed-traits.yaml                 | '    property: revenue'      | ''                                     | true  | 7  | field 'computedTraits[1].property': is required for function sum",
        "computed-traits.yaml                 | '    within: 90d'            | '    within: 90d\n    property: id'     | true  | 7  | field 'computedTraits[0].property': must not be given for function count",
        "computed-traits.yaml                 | 'function: sum'              | 'function: median'                     | true  | 8  | field 'computedTraits[1].function': 'median' is not a function",
        // Semantic: the schema cannot see these.
        "segments/running-shoes-interest.yaml | 'atLeast: 3'                 | 'atLeast: 3\n  atMost: 2'              | false | 13 | field 'condition.atMost': 2 is less than atLeast 3",
        "segments/retention-offer.yaml        | 'equals: true}'              | 'matches: \"[a-\"}'                    | false | 11 | field 'condition.all[0].matches': '[a-' is not a valid regular expression: Illegal character range",
        "segments/retention-offer.yaml        | 'equals: true}'              | 'between: [5, 3]}'                     | false | 11 | field 'condition.all[0].between': low 5 is greater than high 3",
        "segments/retention-offer.yaml        | '{trait: intent_to_cancel, equals: true}' | '{computed: orders_30d, greaterThan: 2}' | false | 11 | field 'condition.all[0].computed': unknown computed trait 'orders_30d' (declared: lifetime_revenue, orders_90d)",
        "segments/running-shoes-interest.yaml | 'id: running-shoes-interest' | 'id: cart-abandoners'                  | false | 2  | field 'id': 'cart-abandoners' is already defined in ",
        "segments/cart-abandoners.yaml        | 'consent: marketing'         | 'consent: marketing\nconsent: email'   | false | 8  | field 'consent': appears twice",
        "computed-traits.yaml                 | 'name: lifetime_revenue'     | 'name: orders_90d'                     | false | 7  | field 'computedTraits[1].name': 'orders_90d' is declared twice"})
    void aBadDefinitionIsOneLineWithFileLineAndField(String file, String from, String to, boolean schemaToo, int line,
            String expected) throws IOException {
        BadDefinitions.copyDemo(dir);
        BadDefinitions.edit(dir, file, from, to.replace("\\n", "\n"));

        List<String> errors = SegmentCatalog.validate(dir).errors();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith(dir.resolve(file) + " line " + line + ", " + expected)
                .doesNotContain("\n");
        assertThatThrownBy(() -> SegmentCatalog.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(errors.get(0));

        if (schemaToo) {
            // The schema and the reader must each reject a malformed document on their own.
            JsonSchema schema = file.startsWith("segments/") ? DefinitionSchemas.SEGMENT : DefinitionSchemas.COMPUTED_TRAITS;
            assertThat(DefinitionSchemas.problems(schema, parse(dir.resolve(file)).root())).isNotEmpty();
        }
    }

    @Test
    void notValidYamlNamesTheLine() throws IOException {
        BadDefinitions.copyDemo(dir);
        BadDefinitions.edit(dir, "segments/cart-abandoners.yaml", "name: Cart abandoners", "name: \"Cart abandoners");

        assertThat(SegmentCatalog.validate(dir).errors()).singleElement().asString()
                .startsWith(dir.resolve("segments/cart-abandoners.yaml") + " line ")
                .contains("not valid YAML").doesNotContain("\n");
    }

    @Test
    void everyShippedFilePassesTheSchema() throws IOException {
        try (Stream<Path> files = Files.list(SegmentCatalogTest.DEMO.resolve("segments"))) {
            for (Path f : files.toList()) {
                assertThat(DefinitionSchemas.problems(DefinitionSchemas.SEGMENT, parse(f).root())).as(f.toString()).isEmpty();
                assertThat(Files.readString(f)).as(f.toString())
                        .startsWith("# yaml-language-server: $schema=../../../schemas/segment-definition.schema.json\n");
            }
        }
        Path traits = SegmentCatalogTest.DEMO.resolve("computed-traits.yaml");
        assertThat(DefinitionSchemas.problems(DefinitionSchemas.COMPUTED_TRAITS, parse(traits).root())).isEmpty();
        assertThat(Files.readString(traits))
                .startsWith("# yaml-language-server: $schema=../../schemas/computed-traits.schema.json\n");
    }

    @Test
    void schemaProblemsNameTheField() throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "id: x\nname: X\nversion: 1\ndestinations: [a]\ncondition: {trait: t, equals: 1, foo: 2}\n");
        SourceDocument doc = parse(file);
        assertThat(DefinitionSchemas.problems(DefinitionSchemas.SEGMENT, doc.root())).map(doc::describe)
                .anySatisfy(m -> assertThat(m).startsWith(file + " line 5, field 'condition"));
    }

    private static SourceDocument parse(Path file) throws IOException {
        try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
            return SourceDocument.read(file.toString(), p);
        }
    }
}
