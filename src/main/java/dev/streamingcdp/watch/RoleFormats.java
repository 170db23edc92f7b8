package dev.streamingcdp.watch;

import dev.streamingcdp.kafka.TopicRegistry.Role;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The roles the watch can show; a new output role becomes watchable with one entry here. */
public final class RoleFormats {

    private static final Map<Role, RoleFormat> FORMATS = new EnumMap<>(Map.of(
            Role.ENRICHED, new EnrichedFormat(),
            Role.DEAD_LETTER, new DeadLetterFormat(),
            Role.PROFILES, new ProfileFormat(),
            Role.SEGMENT_CHANGES, new SegmentChangeFormat(),
            Role.ACTIVATION, new ActivationFormat()));

    private RoleFormats() {}

    public static Optional<RoleFormat> of(Role role) {
        return Optional.ofNullable(FORMATS.get(role));
    }
}
