package dev.streamingcdp.activation;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.YamlFiles;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.segment.SegmentDefinition;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * jobs/&lt;name&gt;/destinations.yaml: the marketing tools segment changes go to, each on its own topic, and the
 * consent each needs. A purpose without a default is opt-in: nobody reaches it without saying yes.
 */
public record Destinations(
        @JsonProperty(required = true) List<Destination> destinations,
        Map<String, ConsentDefault> consentDefaults) implements Serializable {

    public static final String FILE = "destinations.yaml";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public Destinations {
        destinations = destinations != null ? List.copyOf(destinations) : List.of();
        consentDefaults = consentDefaults != null ? Map.copyOf(consentDefaults) : Map.of();
    }

    public enum ConsentDefault { OPT_IN, OPT_OUT }

    /** raw: the normalised value; sha256: its SHA-256 in lower-case hex, as ad platforms match on. */
    public enum IdentifierMode { RAW, SHA256 }

    public enum Format { JSON, AVRO }

    public record Destination(
            @JsonProperty(required = true) String name,
            @JsonProperty(required = true) String topic,
            @JsonProperty(required = true) String purpose,
            Map<String, IdentifierMode> identifiers,
            Format format,
            JobDefinition.DeliveryGuarantee delivery) implements Serializable {

        public Destination {
            identifiers = identifiers != null ? Map.copyOf(identifiers) : Map.of();
            format = format != null ? format : Format.JSON;
        }

        /** This destination's guarantee: its own, else the job's. */
        public JobDefinition.DeliveryGuarantee delivery(JobDefinition job) {
            return delivery != null ? delivery : job.delivery();
        }
    }

    /**
     * Loads {@code jobDir}/destinations.yaml and checks that every segment's destinations exist. Without the file
     * activation is off: segment changes still reach the segment-changes topic.
     */
    public static Destinations load(Path jobDir, SegmentCatalog catalog) {
        Path file = jobDir.resolve(FILE);
        if (!Files.exists(file)) {
            return new Destinations(List.of(), Map.of());
        }
        Destinations d = YamlFiles.read(file, Destinations.class, Destinations::check);
        d.checkSegments(catalog, file);
        return d;
    }

    /** Whether a profile that never stated consent for {@code purpose} counts as granted. */
    public boolean grantedByDefault(String purpose) {
        return consentDefaults.get(purpose) == ConsentDefault.OPT_OUT;
    }

    public Optional<Destination> destination(String name) {
        return destinations.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The same destinations with every topic prefixed (tests give each run its own topics). */
    public Destinations withTopicPrefix(String prefix) {
        return new Destinations(destinations.stream().map(d -> new Destination(d.name(), prefix + d.topic(),
                d.purpose(), d.identifiers(), d.format(), d.delivery())).toList(), consentDefaults);
    }

    private void check() {
        Set<String> names = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (int i = 0; i < destinations.size(); i++) {
            String at = "destinations[" + i + "]";
            Destination d = destinations.get(i);
            if (d == null) {
                throw ConfigException.field(at, "is empty");
            }
            if (!NAME.matcher(d.name()).matches()) {
                throw ConfigException.field(at + ".name", "'" + d.name() + "' must be lower-case letters, digits, -");
            }
            if (!names.add(d.name())) {
                throw ConfigException.field(at + ".name", "'" + d.name() + "' is listed twice");
            }
            if (d.topic().isBlank() || !topics.add(d.topic())) {
                throw ConfigException.field(at + ".topic", "must be a topic of its own, was '" + d.topic() + "'");
            }
            if (d.purpose().isBlank()) {
                throw ConfigException.field(at + ".purpose", "must name a consent purpose, e.g. marketing");
            }
        }
    }

    /** A segment feeding a destination that does not exist would lose its changes: refuse to start. */
    private void checkSegments(SegmentCatalog catalog, Path file) {
        for (SegmentDefinition s : catalog.segments()) {
            for (int i = 0; i < s.destinations().size(); i++) {
                String name = s.destinations().get(i);
                if (destination(name).isEmpty()) {
                    throw new ConfigException("segment '" + s.id() + "', field 'destinations[" + i + "]': '" + name
                            + "' is not a destination in " + file);
                }
            }
        }
    }
}
