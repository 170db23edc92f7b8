package dev.streamingcdp.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.activation.avro.ActivationState;
import dev.streamingcdp.activation.avro.MemberOf;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.segment.SegmentCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** An erased profile: profile.erased to every destination that ever got her, as each takes identifiers; then nothing. */
class ActivationErasureTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final Identifier USER = new Identifier("user_id", "eva");
    private static final Identifier EMAIL = new Identifier("email", "eva@example.com");
    private static final Identifier PHONE = new Identifier("phone", "+14155550123");
    private static final Identifier COOKIE = new Identifier("anonymous_id", "cookie-1");

    @Test
    void everyDestinationSheReachedGetsProfileErasedAndActivationForgetsHer() throws Exception {
        Destinations destinations = Destinations.load(DEMO, SegmentCatalog.load(DEMO));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ActivationFunction(destinations)), ActivationInput::getProfileId, Types.STRING)) {
            h.open();
            Map<String, MemberOf> members = new HashMap<>();
            members.put("running-shoes-interest", new MemberOf(1, List.of("email-marketing")));
            members.put("prospecting-ads", new MemberOf(1, List.of("ads-prospecting")));
            h.processElement(input(members, Map.of("marketing", true, "advertising", true), false), 1);
            // she left running shoes: e-mail got an entry and an exit; nothing ever reached web personalisation
            members.remove("running-shoes-interest");
            h.processElement(input(members, Map.of("marketing", true, "advertising", true), false), 2);
            assertThat(h.extractOutputValues()).hasSize(3);

            h.processElement(input(Map.of(), Map.of(), true), 3);
            List<ActivationRecord> erased = h.extractOutputValues().subList(3, h.extractOutputValues().size());
            assertThat(erased).extracting(ActivationRecord::getDestination)
                    .containsExactlyInAnyOrder("email-marketing", "ads-prospecting");
            assertThat(erased).allSatisfy(r -> {
                assertThat(r.getType()).isEqualTo("profile.erased");
                assertThat(r.getSegmentId()).isNull();
                assertThat(r.getReason()).contains("\"trigger\":\"erased\"").contains("\"requestId\":\"req-1\"");
            });
            assertThat(erased).filteredOn(r -> r.getDestination().equals("email-marketing")).singleElement()
                    .satisfies(r -> {
                        assertThat(r.getIdentifiers()).isEqualTo(Map.of("email", List.of("eva@example.com"),
                                "user_id", List.of("eva")));
                        assertThat(r.getSequence()).as("after her exit").isEqualTo(3);
                    });
            assertThat(erased).filteredOn(r -> r.getDestination().equals("ads-prospecting")).singleElement()
                    .satisfies(r -> assertThat(r.getIdentifiers()).isEqualTo(Map.of(
                            "email_sha256", List.of(IdentifierMapping.sha256("eva@example.com")),
                            "phone_sha256", List.of(IdentifierMapping.sha256("+14155550123")))));
            assertThat(sent(h)).isNull();

            h.processElement(input(Map.of(), Map.of(), true), 4);
            assertThat(h.extractOutputValues()).as("a repeated erasure finds nothing").hasSize(5);
            assertThat(sent(h)).isNull();
        }
    }

    private static ActivationState sent(KeyedOneInputStreamOperatorTestHarness<String, ActivationInput,
            ActivationRecord> h) throws Exception {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) h.getOperator();
        operator.setCurrentKey("p-eva");
        return operator.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, ActivationFunction.SENT).value();
    }

    private static ActivationInput input(Map<String, MemberOf> members, Map<String, Boolean> consent, boolean erased) {
        return new ActivationInput("p-eva", 1_000L, new ArrayList<>(), new HashMap<>(members), new HashMap<>(consent),
                new ArrayList<>(List.of(USER, EMAIL, PHONE, COOKIE)), erased, erased, erased ? "req-1" : null, null);
    }
}
