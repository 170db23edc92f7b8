package dev.streamingcdp.fault;

import dev.streamingcdp.activation.Destinations;
import dev.streamingcdp.activation.Destinations.Destination;
import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.UnionFind;
import dev.streamingcdp.ingest.AvroEventDecoder;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.ingest.EventValidator;
import dev.streamingcdp.ingest.JsonEventDecoder;
import dev.streamingcdp.ingest.RejectException;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.segment.ReferenceEvaluator;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.SegmentDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What every destination must hold at the end, computed from the exact input without the job's state machinery:
 * profiles are the connected components of the identifiers each event carries ({@link UnionFind}, the identity
 * tests' oracle; valid because the simulator's people share no identifier and break no identity rule), each named
 * by its strongest identifier; memberships come from {@link ReferenceEvaluator} (the segment property test's
 * reference) over the component's full history; a destination holds a membership of a segment that feeds it while
 * the latest stated consent for its purpose (or the purpose's default) grants it. Events are read with the job's
 * own decoder and normaliser, which the ingest tests cover, so that both sides start from the same identifiers.
 */
final class FaultOracle {

    /** One valid input record as it was written. */
    record Payload(Format format, byte[] value) {}

    /**
     * The final state: profile id -> its segments (the segment-changes topic), and destination name -> profile id ->
     * its segments there (gated by consent).
     */
    record Expected(Map<String, Set<String>> segments, Map<String, Map<String, Set<String>>> destinations) {}

    private final IdentityRules rules;
    private final SegmentCatalog segments;
    private final Destinations destinations;
    private final EventNormalizer normalizer;

    FaultOracle(IdentityRules rules, SegmentCatalog segments, Destinations destinations, EventNormalizer normalizer) {
        this.rules = rules;
        this.segments = segments;
        this.destinations = destinations;
        this.normalizer = normalizer;
    }

    /** What the segment-changes topic and every destination must end with, at event time {@code now}. */
    Expected expected(List<Payload> input, long now) {
        List<CdpEvent> events = input.stream().map(this::normalize).toList();
        UnionFind links = new UnionFind();
        events.forEach(e -> links.unionAll(e.getIdentifiers().stream().map(FaultOracle::key).toList()));
        Map<String, List<CdpEvent>> histories = new HashMap<>();
        Map<String, Identifier> strongest = new HashMap<>();
        for (CdpEvent e : events) {
            String root = links.find(key(e.getIdentifiers().get(0)));
            histories.computeIfAbsent(root, r -> new ArrayList<>()).add(e);
            e.getIdentifiers().forEach(id -> strongest.merge(root, id,
                    (a, b) -> rules.compare(a, b) <= 0 ? a : b));
        }
        ReferenceEvaluator reference = new ReferenceEvaluator(segments);
        Map<String, Set<String>> inSegments = new TreeMap<>();
        Map<String, Map<String, Set<String>>> expected = new TreeMap<>();
        destinations.destinations().forEach(d -> expected.put(d.name(), new TreeMap<>()));
        histories.forEach((root, history) -> {
            String profileId = ProfileId.of(strongest.get(root));
            Map<String, Boolean> members = reference.memberships(history, now);
            Set<String> all = new TreeSet<>();
            members.forEach((segment, member) -> {
                if (member) {
                    all.add(segment);
                }
            });
            if (!all.isEmpty()) {
                inSegments.put(profileId, all);
            }
            for (Destination d : destinations.destinations()) {
                if (!granted(history, d.purpose())) {
                    continue;
                }
                Set<String> in = new TreeSet<>();
                for (SegmentDefinition s : segments.segments()) {
                    if (members.get(s.id()) && s.destinations().contains(d.name())) {
                        in.add(s.id());
                    }
                }
                if (!in.isEmpty()) {
                    expected.get(d.name()).put(profileId, in);
                }
            }
        });
        return new Expected(inSegments, expected);
    }

    /** The consent stated by her latest event that states one for {@code purpose}, else the purpose's default. */
    private boolean granted(List<CdpEvent> history, String purpose) {
        CdpEvent latest = null;
        for (CdpEvent e : history) {
            if (e.getConsent().containsKey(purpose)
                    && (latest == null || e.getEventTime().isAfter(latest.getEventTime()))) {
                latest = e;
            }
        }
        return latest != null ? latest.getConsent().get(purpose) : destinations.grantedByDefault(purpose);
    }

    private CdpEvent normalize(Payload p) {
        try {
            SegmentEvent s = p.format() == Format.AVRO ? AvroEventDecoder.decode(p.value())
                    : JsonEventDecoder.decode(p.value());
            return normalizer.normalize(s, EventValidator.validate(s), new SourceRef("oracle", 0, 0L, 0L), ns -> { });
        } catch (RejectException e) {
            throw new IllegalStateException("the simulator called a record valid that the job rejects", e);
        }
    }

    private static String key(Identifier id) {
        return id.getNamespace() + ":" + id.getValue();
    }
}
