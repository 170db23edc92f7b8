package dev.streamingcdp.profile;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.ConsentValue;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.TraitValue;
import dev.streamingcdp.segment.Facts;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an event and a merge do to a profile. Every field is reconciled with a commutative, associative, idempotent
 * rule (sum, min, max, max under a total order), so the operator reaches the same profile whatever the arrival
 * order of events and merges, which differs between runs.
 */
public class ProfileLogic implements Serializable {

    private static final long serialVersionUID = 1L;

    private final boolean sourcePriority;
    /** channel -> rank, 0 strongest; unlisted and null channels rank after all listed ones. */
    private final HashMap<String, Integer> ranks = new HashMap<>();
    private final int weakest;
    /**
     * Trait names a profile keeps at most; new names beyond it are not kept. With ingest.maxTraitChars this bounds
     * the profile's record well under Kafka's 1 MB, which it must never outgrow (its write would fail the job).
     */
    private final int maxTraits;

    public ProfileLogic(JobDefinition.Profiles settings) {
        this.maxTraits = settings.maxTraits();
        this.sourcePriority = settings.traitPolicy() == JobDefinition.TraitPolicy.SOURCE_PRIORITY;
        List<String> channels = settings.sourcePriority();
        for (int i = channels.size() - 1; i >= 0; i--) {
            ranks.put(channels.get(i), i); // a channel listed twice keeps its strongest rank
        }
        this.weakest = channels.size();
    }

    /** A new empty profile (no identifiers yet; the caller adds them). firstSeen = lastSeen = at. */
    public static ProfileState create(String profileId, Identifier label, Instant at) {
        // The builder, not the all-args constructor: a field added to the schema with a default needs no change here,
        // and this class still links against a ProfileState regenerated with such a field.
        return ProfileState.newBuilder().setProfileId(profileId).setLabel(label).setIdentifiers(new HashMap<>())
                .setTraits(new HashMap<>()).setConsent(new HashMap<>()).setFirstSeen(at).setLastSeen(at)
                .setEventCounts(new HashMap<>()).setAbsorbed(new ArrayList<>()).setFacts(new HashMap<>()).build();
    }

    /**
     * Applies one event: counts, first/last seen, traits by the policy, consent by latest event time. Identifiers
     * and label are the identity protocol's business. Returns whether a reader of the profile topic would see a
     * change: always, since the counts change.
     */
    public boolean apply(ProfileState state, CdpEvent event) {
        Instant at = event.getEventTime();
        state.getEventCounts().merge(event.getType(), 1L, Long::sum);
        seen(state, at, at);
        String channel = event.getChannel();
        int rank = rank(channel);
        Map<String, TraitValue> traits = state.getTraits();
        for (Map.Entry<String, Object> t : event.getTraits().entrySet()) {
            TraitValue current = traits.get(t.getKey());
            if (current == null) {
                if (traits.size() < maxTraits) {
                    traits.put(t.getKey(), new TraitValue(t.getValue(), at, channel));
                }
            } else if (compare(rank, at, t.getValue(), channel, current) > 0) {
                // In place: the state object is the operator's own, and apply runs per event.
                current.setValue(t.getValue());
                current.setUpdatedAt(at);
                current.setChannel(channel);
            }
        }
        Map<String, ConsentValue> consent = state.getConsent();
        for (Map.Entry<String, Boolean> c : event.getConsent().entrySet()) {
            ConsentValue current = consent.get(c.getKey());
            if (current == null) {
                consent.put(c.getKey(), new ConsentValue(c.getValue(), at));
            } else if (consentWins(c.getValue(), at, current)) {
                current.setGranted(c.getValue());
                current.setUpdatedAt(at);
            }
        }
        return true;
    }

    /**
     * Moves {@code absorbed} into {@code survivor} (facts for segments too: windows are united). Idempotent: a profile already absorbed (or the survivor itself)
     * changes nothing and returns false, so a retried merge command never counts events twice.
     */
    public boolean absorb(ProfileState survivor, ProfileState absorbed) {
        String absorbedId = absorbed.getProfileId();
        List<String> done = survivor.getAbsorbed();
        if (absorbedId.equals(survivor.getProfileId()) || done.contains(absorbedId)) {
            return false;
        }
        absorbed.getEventCounts().forEach((type, n) -> survivor.getEventCounts().merge(type, n, Long::sum));
        seen(survivor, absorbed.getFirstSeen(), absorbed.getLastSeen());
        Map<String, TraitValue> traits = survivor.getTraits();
        absorbed.getTraits().forEach((name, theirs) -> {
            TraitValue ours = traits.get(name);
            if (ours == null && traits.size() >= maxTraits) {
                return;
            }
            if (ours == null || compare(rank(theirs.getChannel()), theirs.getUpdatedAt(), theirs.getValue(),
                    theirs.getChannel(), ours) > 0) {
                // A copy, because apply() updates the survivor's values in place.
                traits.put(name, new TraitValue(theirs.getValue(), theirs.getUpdatedAt(), theirs.getChannel()));
            }
        });
        Map<String, ConsentValue> consent = survivor.getConsent();
        absorbed.getConsent().forEach((purpose, theirs) -> {
            ConsentValue ours = consent.get(purpose);
            if (ours == null || consentWins(theirs.getGranted(), theirs.getUpdatedAt(), ours)) {
                consent.put(purpose, new ConsentValue(theirs.getGranted(), theirs.getUpdatedAt()));
            }
        });
        survivor.getIdentifiers().putAll(absorbed.getIdentifiers());
        Facts.absorb(survivor.getFacts(), absorbed.getFacts());
        done.add(absorbedId);
        for (String id : absorbed.getAbsorbed()) {
            if (!done.contains(id)) {
                done.add(id);
            }
        }
        done.sort(null); // the same list whatever order merges arrive in
        return true;
    }

    /** Number of identifiers per namespace. */
    public static Map<String, Integer> namespaceCounts(ProfileState state) {
        Map<String, Integer> counts = new HashMap<>();
        for (Identifier id : state.getIdentifiers().values()) {
            counts.merge(id.getNamespace(), 1, Integer::sum);
        }
        return counts;
    }

    /** Key of an identifier in the identifiers map: namespace + ":" + value. */
    public static String key(Identifier id) {
        return id.getNamespace() + ":" + id.getValue();
    }

    private static void seen(ProfileState state, Instant first, Instant last) {
        if (first.isBefore(state.getFirstSeen())) {
            state.setFirstSeen(first);
        }
        if (last.isAfter(state.getLastSeen())) {
            state.setLastSeen(last);
        }
    }

    private int rank(String channel) {
        Integer r = channel == null ? null : ranks.get(channel);
        return r != null ? r : weakest;
    }

    /**
     * A total order on trait values: the policy's primary key (channel rank or event time), then the other one,
     * then the value (type, then natural order), then the channel name. The winner is the maximum, so it does not
     * depend on the order values are seen in.
     */
    private int compare(int rank, Instant at, Object value, String channel, TraitValue other) {
        int byRank = Integer.compare(rank(other.getChannel()), rank); // lower rank = stronger
        int byTime = at.compareTo(other.getUpdatedAt());
        int c = sourcePriority ? (byRank != 0 ? byRank : byTime) : (byTime != 0 ? byTime : byRank);
        if (c != 0) {
            return c;
        }
        c = compareValues(value, other.getValue());
        if (c != 0) {
            return c;
        }
        String theirs = other.getChannel();
        return channel == null ? (theirs == null ? 0 : -1) : theirs == null ? 1 : channel.compareTo(theirs);
    }

    /** Values of different types (1 and "1") are ordered by type first; within a type by natural order. */
    private static int compareValues(Object a, Object b) {
        int c = Integer.compare(typeOrder(a), typeOrder(b));
        if (c != 0 || a == null) {
            return c;
        }
        if (a instanceof Boolean x) {
            return Boolean.compare(x, (Boolean) b);
        }
        if (a instanceof Long x) {
            return Long.compare(x, (Long) b);
        }
        if (a instanceof Double x) {
            return Double.compare(x, (Double) b);
        }
        return ((String) a).compareTo((String) b);
    }

    /** The types of the trait union in cdp-event.avsc. */
    private static int typeOrder(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Boolean) {
            return 1;
        }
        if (v instanceof Long) {
            return 2;
        }
        if (v instanceof Double) {
            return 3;
        }
        if (v instanceof String) {
            return 4;
        }
        throw new IllegalArgumentException("unsupported trait value type " + v.getClass().getName());
    }

    /** Later event time wins; at the same time a withdrawal beats a grant (the safe side, and order-independent). */
    private static boolean consentWins(boolean granted, Instant at, ConsentValue current) {
        int c = at.compareTo(current.getUpdatedAt());
        return c > 0 || (c == 0 && !granted && current.getGranted());
    }
}
