package dev.streamingcdp.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.Destinations.ConsentDefault;
import dev.streamingcdp.activation.Destinations.Destination;
import dev.streamingcdp.activation.Destinations.Format;
import dev.streamingcdp.activation.Destinations.IdentifierMode;
import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.activation.avro.ActivationState;
import dev.streamingcdp.activation.avro.MemberOf;
import dev.streamingcdp.model.ActivationRecord;
import dev.streamingcdp.model.Identifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each destination is told as memberships and consent change. */
class ConsentGateTest {

    private static final Destinations DESTINATIONS = new Destinations(List.of(
            new Destination("email", "t.email", "marketing", Map.of("email", IdentifierMode.RAW), Format.JSON, null),
            new Destination("ads", "t.ads", "advertising", Map.of("email", IdentifierMode.SHA256), Format.AVRO,
                    null),
            new Destination("web", "t.web", "personalisation", Map.of(), Format.JSON, null)),
            Map.of("marketing", ConsentDefault.OPT_IN, "personalisation", ConsentDefault.OPT_OUT));
    private static final String SHA256_OF_JO = "f4e19df2e6c609fbd59a42b9063d0fadf44260218531ea21ad8c575f205c0453";
    private static final ConsentGate GATE = new ConsentGate(DESTINATIONS);
    private static final List<Identifier> IDS = List.of(new Identifier("email", "jo@example.com"),
            new Identifier("user_id", "jo"));

    @Test
    void aMemberReachesOnlyTheDestinationsHerConsentAllows() {
        ActivationState state = new ActivationState(new HashMap<>());
        List<ActivationRecord> out = GATE.apply(input(Map.of("s", List.of("email", "ads", "web")), Map.of()), state);
        // marketing and advertising are opt-in (one stated nothing, one has no default); personalisation opt-out
        assertThat(out).extracting(r -> r.getDestination() + " " + r.getType() + " " + r.getSequence())
                .containsExactly("web segment.entered 1");
        assertThat(out.get(0).getReason()).contains("\"source\":\"default\"");
    }

    @Test
    void revokingRetractsAndGrantingAgainResends() {
        ActivationState state = new ActivationState(new HashMap<>());
        Map<String, List<String>> member = Map.of("s", List.of("email"));
        assertThat(GATE.apply(input(member, Map.of("marketing", true)), state))
                .extracting(r -> r.getType() + " " + r.getSequence()).containsExactly("segment.entered 1");
        assertThat(GATE.apply(input(member, Map.of("marketing", true)), state)).isEmpty(); // nothing new
        assertThat(GATE.apply(input(member, Map.of("marketing", false)), state))
                .extracting(r -> r.getType() + " " + r.getSequence()).containsExactly("segment.exited 2");
        assertThat(GATE.apply(input(member, Map.of("marketing", true)), state))
                .extracting(r -> r.getType() + " " + r.getSequence()).containsExactly("segment.entered 3");
        assertThat(GATE.apply(input(Map.of(), Map.of("marketing", true)), state)) // she left the segment
                .extracting(r -> r.getType() + " " + r.getSequence()).containsExactly("segment.exited 4");
    }

    @Test
    void identifiersAreFilteredAndHashedPerDestination() {
        ActivationState state = new ActivationState(new HashMap<>());
        List<ActivationRecord> out = GATE.apply(input(Map.of("s", List.of("email", "ads")),
                Map.of("marketing", true, "advertising", true)), state);
        assertThat(out).extracting(ActivationRecord::getDestination).containsExactly("email", "ads");
        assertThat(out.get(0).getIdentifiers()).isEqualTo(Map.of("email", List.of("jo@example.com")));
        assertThat(out.get(1).getIdentifiers()).isEqualTo(Map.of("email_sha256",
                List.of(IdentifierMapping.sha256("jo@example.com"))));
        // echo -n jo@example.com | sha256sum
        assertThat(IdentifierMapping.sha256("jo@example.com")).isEqualTo(SHA256_OF_JO);
    }

    @Test
    void aProfileThatIsGoneExitsEverywhereItWasSent() {
        ActivationState state = new ActivationState(new HashMap<>());
        GATE.apply(input(Map.of("s", List.of("email", "web")), Map.of("marketing", true)), state);
        ActivationInput gone = input(Map.of(), Map.of("marketing", true));
        gone.setGone(true);
        assertThat(GATE.apply(gone, state)).extracting(r -> r.getDestination() + " " + r.getType())
                .containsExactly("email segment.exited", "web segment.exited");
    }

    private static ActivationInput input(Map<String, List<String>> members, Map<String, Boolean> consent) {
        Map<String, MemberOf> m = new HashMap<>();
        members.forEach((segment, destinations) -> m.put(segment, new MemberOf(1, destinations)));
        return new ActivationInput("p-1", 0L, List.of(), m, new HashMap<>(consent), IDS, false, false, null, null);
    }
}
