package dev.streamingcdp.ingest;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.ingest.avro.Context;
import dev.streamingcdp.ingest.avro.ExternalId;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.Namespaces;
import dev.streamingcdp.model.SourceRef;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a valid {@link SegmentEvent} into a {@link CdpEvent}: UTC event time, and every identifier it carries gathered
 * and normalised (userId, anonymousId, previousId, e-mail and phone traits, device id, external ids). An event whose
 * identifiers the identity rules all block is refused here, where they are gathered, so that it has one outcome (a
 * dead letter) rather than an enriched event and then a dead letter from identity routing.
 */
public final class EventNormalizer implements Serializable {

    private final String defaultPhoneRegion;
    private final String previousIdNamespace;
    private final int maxTraitChars;
    private final int maxIdentifierChars;
    private final Duration maxTimestampAhead;
    private final IdentityRules rules;

    /** Without identity rules: nothing is blocked. */
    public EventNormalizer(String defaultPhoneRegion, String previousIdNamespace, int maxTraitChars,
            int maxIdentifierChars, Duration maxTimestampAhead) {
        this(defaultPhoneRegion, previousIdNamespace, maxTraitChars, maxIdentifierChars, maxTimestampAhead,
                IdentityRules.none());
    }

    public EventNormalizer(String defaultPhoneRegion, String previousIdNamespace, int maxTraitChars,
            int maxIdentifierChars, Duration maxTimestampAhead, IdentityRules rules) {
        this.defaultPhoneRegion = defaultPhoneRegion;
        this.previousIdNamespace = previousIdNamespace;
        this.maxTraitChars = maxTraitChars;
        this.maxIdentifierChars = maxIdentifierChars;
        this.maxTimestampAhead = maxTimestampAhead;
        this.rules = rules;
    }

    /** Without identity rules (enough for normalising a single identifier, as privacy requests do). */
    public static EventNormalizer of(JobDefinition.Ingest settings) {
        return of(settings, IdentityRules.none());
    }

    public static EventNormalizer of(JobDefinition.Ingest settings, IdentityRules rules) {
        return new EventNormalizer(settings.defaultPhoneRegion(), settings.previousIdNamespace(),
                settings.maxTraitChars(), settings.maxIdentifierChars(), settings.maxTimestampAhead(), rules);
    }

    /**
     * The event time, refused when it is too far ahead of the time the Kafka record was written (a wrong client
     * clock; {@link EventTimeAssigner} keeps it out of the watermark too).
     */
    private Instant eventTime(SegmentEvent e, SourceRef source) throws RejectException {
        Instant eventTime = Timestamps.parse(e.getTimestamp());
        long written = source.getReceivedAt();
        if (Timestamps.tooFarAhead(eventTime.toEpochMilli(), written, maxTimestampAhead.toMillis())) {
            throw new RejectException(RejectReason.BAD_TIMESTAMP, "'" + e.getTimestamp() + "' is more than "
                    + maxTimestampAhead + " ahead of the time its Kafka record was written ("
                    + Instant.ofEpochMilli(written) + "): a wrong client clock would move event time ahead");
        }
        return eventTime;
    }

    /**
     * Traits live in the profile for good: a few huge ones would make it too large for its Kafka record (and the
     * job would fail on every attempt to write it), so an event carrying one is refused here. Consent purposes too.
     */
    private void checkTraitSizes(Map<String, ?> traits) throws RejectException {
        for (Map.Entry<String, ?> t : traits.entrySet()) {
            int chars = t.getKey().length() + (t.getValue() instanceof CharSequence v ? v.length() : 0);
            if (chars > maxTraitChars) {
                throw new RejectException(RejectReason.TOO_LARGE, "trait name and value have " + chars
                        + " characters, over ingest.maxTraitChars (" + maxTraitChars + ")");
            }
        }
    }

    /**
     * @param dropped told the namespace of every identifier that was present but could not be normalised
     * @throws RejectException no_identifier when none survives normalisation and the identity rules' blocking
     */
    public CdpEvent normalize(SegmentEvent e, EventType type, SourceRef source, Consumer<String> dropped)
            throws RejectException {
        Context ctx = e.getContext();
        Map<String, Object> traits = new HashMap<>();
        if (ctx != null && ctx.getTraits() != null) {
            traits.putAll(ctx.getTraits());
        }
        if (e.getTraits() != null) {
            traits.putAll(e.getTraits()); // the call's own traits win over the context's
        }
        checkTraitSizes(traits);
        Map<String, Boolean> consent = consent(ctx);
        checkTraitSizes(consent);
        Set<Identifier> ids = new LinkedHashSet<>();
        add(ids, Namespaces.USER_ID, e.getUserId());
        add(ids, Namespaces.ANONYMOUS_ID, e.getAnonymousId());
        add(ids, previousIdNamespace, e.getPreviousId());
        contact(ids, traits, Namespaces.EMAIL, dropped);
        contact(ids, traits, Namespaces.PHONE, dropped);
        if (ctx != null && ctx.getDevice() != null) {
            add(ids, Namespaces.DEVICE_ID, ctx.getDevice().getId());
        }
        if (ctx != null && ctx.getExternalIds() != null) {
            for (ExternalId x : ctx.getExternalIds()) {
                String ns = namespace(x.getType());
                Optional<String> value = normalizeValue(ns, x.getId());
                value.ifPresentOrElse(v -> ids.add(new Identifier(ns, v)), () -> dropped.accept(ns));
            }
        }
        for (Identifier id : ids) {
            // An identifier is kept in the profile and the identity graph (and as the profile's label): see traits.
            if (id.getValue().length() > maxIdentifierChars) {
                throw new RejectException(RejectReason.TOO_LARGE, "a " + id.getNamespace() + " identifier has "
                        + id.getValue().length() + " characters, over ingest.maxIdentifierChars (" + maxIdentifierChars
                        + ")");
            }
        }
        if (ids.isEmpty()) {
            throw new RejectException(RejectReason.NO_IDENTIFIER,
                    "no identifier survived normalisation (e-mail or phone not valid)");
        }
        checkNotAllBlocked(ids);
        return CdpEvent.newBuilder()
                .setMessageId(e.getMessageId().trim())
                .setType(type.code())
                .setEventTime(eventTime(e, source))
                .setEvent(e.getEvent())
                .setName(e.getName())
                .setChannel(e.getChannel() == null ? null : e.getChannel().trim().toLowerCase(Locale.ROOT))
                .setGroupId(e.getGroupId())
                .setIdentifiers(new ArrayList<>(ids))
                .setTraits(traits)
                .setProperties(e.getProperties() == null ? new HashMap<>() : new HashMap<>(e.getProperties()))
                .setConsent(consent)
                .setSource(source)
                .build();
    }

    /**
     * Some blocked identifiers are fine (identity routing drops and reports each); only none left to route by is a
     * rejection.
     */
    private void checkNotAllBlocked(Set<Identifier> ids) throws RejectException {
        List<String> reasons = new ArrayList<>(ids.size());
        for (Identifier id : ids) {
            Optional<String> blocked = rules.blocked(id);
            if (blocked.isEmpty()) {
                return;
            }
            reasons.add(blocked.get());
        }
        throw new RejectException(RejectReason.NO_IDENTIFIER,
                "every identifier is blocked by the identity rules: " + String.join("; ", reasons));
    }

    /** E-mail and phone traits are identifiers; the trait keeps the normalised value so profiles agree with ids. */
    private void contact(Set<Identifier> ids, Map<String, Object> traits, String ns, Consumer<String> dropped) {
        if (!(traits.get(ns) instanceof String raw) || raw.isBlank()) {
            return;
        }
        Optional<String> value = normalizeValue(ns, raw);
        if (value.isPresent()) {
            ids.add(new Identifier(ns, value.get()));
            traits.put(ns, value.get());
        } else {
            dropped.accept(ns);
        }
    }

    /** The normalised value of an identifier in namespace {@code ns}, or empty when it cannot be one. */
    public Optional<String> normalizeValue(String ns, String raw) {
        return switch (ns) {
            case Namespaces.EMAIL -> Emails.normalize(raw);
            case Namespaces.PHONE -> Phones.normalize(raw, defaultPhoneRegion);
            default -> raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.trim());
        };
    }

    private static void add(Set<Identifier> ids, String ns, String raw) {
        if (raw != null && !raw.isBlank()) {
            ids.add(new Identifier(ns, raw.trim()));
        }
    }

    /** "Loyalty ID" and "loyalty_id" name the same namespace. */
    public static String namespace(String type) {
        return type.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static Map<String, Boolean> consent(Context ctx) {
        if (ctx == null || ctx.getConsent() == null || ctx.getConsent().getCategoryPreferences() == null) {
            return new HashMap<>();
        }
        return new HashMap<>(ctx.getConsent().getCategoryPreferences());
    }
}
