package dev.streamingcdp.profile;

import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Minimal events for the profile tests: only what ProfileLogic reads is meaningful. */
final class Events {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final Identifier ANON = new Identifier("anonymous_id", "a-1");

    private Events() {}

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    static CdpEvent event(String type, int seconds, String channel, Map<String, Object> traits,
            Map<String, Boolean> consent) {
        return CdpEvent.newBuilder()
                .setMessageId("m-" + type + "-" + seconds)
                .setType(type)
                .setEventTime(at(seconds))
                .setChannel(channel)
                .setIdentifiers(List.of(ANON))
                .setTraits(traits)
                .setConsent(consent)
                .setSource(new SourceRef("events", 0, 0L, 0L))
                .build();
    }

    static CdpEvent track(int seconds) {
        return event("track", seconds, "web", Map.of(), Map.of());
    }

    static CdpEvent traits(int seconds, String channel, Map<String, Object> traits) {
        return event("identify", seconds, channel, traits, Map.of());
    }

    static CdpEvent consent(int seconds, Map<String, Boolean> consent) {
        return event("identify", seconds, "web", Map.of(), consent);
    }
}
