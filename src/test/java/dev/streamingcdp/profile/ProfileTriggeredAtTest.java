package dev.streamingcdp.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.ProfileHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What activation is told carries the Kafka timestamp of the event that caused it: the start of the latency. */
class ProfileTriggeredAtTest {

    private static final String ID = ProfileId.of(Events.ANON);

    @Test
    void theTriggeringEventsKafkaTimestampGoesToActivation() throws Exception {
        try (var h = ProfileHarness.of(IdentityRules.none(), SegmentCatalog.load(Path.of("jobs/retail-demo")),
                Duration.ofDays(30))) {
            h.open();
            // a consent change is worth telling activation
            h.processElement(at(receivedAt(Events.consent(1, Map.of("marketing", true)), 5_000L)), 1);
            h.processElement(at(receivedAt(Events.consent(2, Map.of("marketing", false)), 0L)), 2);

            assertThat(ProfileHarness.sideOutput(h, ProfileOperator.ACTIVATION))
                    .extracting(ActivationInput::getTriggeredAt)
                    .as("the event's timestamp; none when it is unknown (0)").containsExactly(5_000L, null);
        }
    }

    private static CdpEvent receivedAt(CdpEvent e, long timestamp) {
        e.getSource().setReceivedAt(timestamp);
        return e;
    }

    private static ProfileCommand at(CdpEvent e) {
        return Commands.toProfile(ID, new EventAtProfile(e, Events.ANON, 0));
    }
}
