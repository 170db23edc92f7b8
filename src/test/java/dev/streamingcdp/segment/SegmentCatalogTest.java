package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.ingest.EventType;
import dev.streamingcdp.segment.ComputedTraitDefinition.Function;
import dev.streamingcdp.segment.Condition.All;
import dev.streamingcdp.segment.Condition.Event;
import dev.streamingcdp.segment.Condition.Not;
import dev.streamingcdp.segment.Condition.Sequence;
import dev.streamingcdp.segment.Condition.Trait;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentCatalogTest {

    static final Path DEMO = Path.of("jobs/retail-demo");

    @TempDir
    Path dir;

    @Test
    void theShippedDefinitionsLoad() {
        SegmentCatalog catalog = SegmentCatalog.load(DEMO);

        assertThat(catalog.segments()).extracting(SegmentDefinition::id).containsExactly(
                "cart-abandoners", "prospecting-ads", "retention-offer", "running-shoes-interest");
        EventMatcher orderCompleted = new EventMatcher(EventType.TRACK, "Order Completed", Map.of());
        EventMatcher productViewed = new EventMatcher(EventType.TRACK, "Product Viewed", Map.of());

        SegmentDefinition retention = catalog.segment("retention-offer").orElseThrow();
        assertThat(retention.consent()).isEqualTo("personalisation");
        assertThat(retention.destinations()).containsExactly("web-personalisation");
        assertThat(retention.version()).isEqualTo(1);
        assertThat(retention.condition()).isEqualTo(new All(List.of(
                new Trait("intent_to_cancel", new Comparison.Equals(true)),
                new Event(new EventMatcher(EventType.PAGE, null, Map.of()), 1, null, Duration.ofHours(1)))));

        SegmentDefinition cart = catalog.segment("cart-abandoners").orElseThrow();
        assertThat(cart.consent()).isEqualTo("marketing");
        assertThat(cart.destinations()).containsExactly("email-marketing");
        assertThat(cart.condition()).isEqualTo(new Sequence(
                new EventMatcher(EventType.TRACK, "Product Added", Map.of()), orderCompleted, Duration.ofHours(1)));

        assertThat(catalog.segment("prospecting-ads").orElseThrow().condition()).isEqualTo(new All(List.of(
                new Not(new Event(orderCompleted, 1, null, null)),
                new Event(productViewed, 1, null, Duration.ofDays(30)))));

        SegmentDefinition shoes = catalog.segment("running-shoes-interest").orElseThrow();
        assertThat(shoes.condition()).isEqualTo(new Event(new EventMatcher(EventType.TRACK, "Product Viewed",
                Map.of("category", new Comparison.Equals("running-shoes"))), 3, null, Duration.ofDays(7)));
        assertThat(shoes.consent()).isEqualTo("marketing");

        assertThat(catalog.computedTraits()).containsExactly(
                new ComputedTraitDefinition("orders_90d", Function.COUNT, orderCompleted, null, Duration.ofDays(90)),
                new ComputedTraitDefinition("lifetime_revenue", Function.SUM, orderCompleted, "revenue", null));
    }

    @Test
    void aCatalogSurvivesJavaSerialization() throws IOException, ClassNotFoundException {
        SegmentCatalog catalog = SegmentCatalog.load(DEMO);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(catalog);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(catalog);
        }
    }

    @Test
    void conditionNodesListTheWholeTree() {
        Condition condition = SegmentCatalog.load(DEMO).segment("prospecting-ads").orElseThrow().condition();
        assertThat(condition.nodes()).hasSize(4);
    }

    @Test
    void aJobWithoutDefinitionsHasAnEmptyCatalog() {
        assertThat(SegmentCatalog.load(dir)).isEqualTo(new SegmentCatalog(List.of(), List.of()));
    }

    @Test
    void everyProblemIsCollectedAndLoadReportsTheFirstOnOneLine() throws IOException {
        BadDefinitions.copyDemo(dir);
        BadDefinitions.edit(dir, "segments/cart-abandoners.yaml", "    within: 1h", "");
        BadDefinitions.edit(dir, "segments/retention-offer.yaml", "within: 1h", "within: soon");
        BadDefinitions.edit(dir, "segments/running-shoes-interest.yaml", "atLeast: 3", "atLeast: 3\n  atMost: 1");

        assertThat(SegmentCatalog.validate(dir).errors()).hasSize(3).allSatisfy(e -> assertThat(e)
                .startsWith(dir.resolve("segments").toString()).contains(" line ", ", field '").doesNotContain("\n"));
        assertThatThrownBy(() -> SegmentCatalog.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("segments/cart-abandoners.yaml") + " line 9, field "
                        + "'condition.sequence.within': is required")
                .hasMessageEndingWith("(and 2 more; bin/cdp segments validate --job " + dir + " lists them)");
    }

    @Test
    void numbersAreExact() {
        SegmentDefinition d = SegmentDefinition.fromJson("""
                {"id": "big", "name": "Big spenders", "version": 2, "destinations": ["ads"],
                 "condition": {"trait": "ltv", "between": [1000.50, 20000]}}""");
        assertThat(d.condition()).isEqualTo(new Trait("ltv",
                new Comparison.Between(new BigDecimal("1000.50"), new BigDecimal("20000"))));
    }
}
