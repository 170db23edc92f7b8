package dev.streamingcdp.config;

import static dev.streamingcdp.config.FieldChecks.notBlank;
import static dev.streamingcdp.config.FieldChecks.positive;
import static dev.streamingcdp.config.FieldChecks.required;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** jobs/&lt;name&gt;/job.yaml: where the job reads and writes, how it checkpoints, and how ingestion behaves. */
public record JobDefinition(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) Integer parallelism,
        @JsonProperty(required = true) Kafka kafka,
        @JsonProperty(required = true) Topics topics,
        @JsonProperty(required = true) DeliveryGuarantee delivery,
        @JsonProperty(required = true) Checkpoint checkpoint,
        State state,
        Ingest ingest,
        Profiles profiles,
        Segments segments,
        Privacy privacy,
        Network network,
        StoreSettings store,
        ServeSettings serve) implements Serializable {

    public static final String FILE = "job.yaml";

    public JobDefinition {
        state = state != null ? state : new State(null, null, null, null);
        ingest = ingest != null ? ingest : new Ingest(null, null, null, null, null, null, null, null);
        profiles = profiles != null ? profiles : new Profiles(null, null, null, null);
        segments = segments != null ? segments : new Segments(null, null);
        privacy = privacy != null ? privacy : new Privacy(null, null, null);
        network = network != null ? network : new Network(null);
        serve = serve != null ? serve : new ServeSettings(null, null, null);
    }

    /** Without a profile store (store and serve settings absent). */
    public JobDefinition(String name, Integer parallelism, Kafka kafka, Topics topics, DeliveryGuarantee delivery,
            Checkpoint checkpoint, State state, Ingest ingest, Profiles profiles, Segments segments, Privacy privacy,
            Network network) {
        this(name, parallelism, kafka, topics, delivery, checkpoint, state, ingest, profiles, segments, privacy,
                network, null, null);
    }

    /** The same job writing the profile store {@code store} (null: none). */
    public JobDefinition withStore(StoreSettings store) {
        return new JobDefinition(name, parallelism, kafka, topics, delivery, checkpoint, state, ingest, profiles,
                segments, privacy, network, store, serve);
    }

    /** Without network settings: Flink's defaults. */
    public JobDefinition(String name, Integer parallelism, Kafka kafka, Topics topics, DeliveryGuarantee delivery,
            Checkpoint checkpoint, State state, Ingest ingest, Profiles profiles, Segments segments, Privacy privacy) {
        this(name, parallelism, kafka, topics, delivery, checkpoint, state, ingest, profiles, segments, privacy, null);
    }

    /** Without privacy settings: their defaults. */
    public JobDefinition(String name, Integer parallelism, Kafka kafka, Topics topics, DeliveryGuarantee delivery,
            Checkpoint checkpoint, State state, Ingest ingest, Profiles profiles, Segments segments) {
        this(name, parallelism, kafka, topics, delivery, checkpoint, state, ingest, profiles, segments, null, null);
    }

    /** Loads and checks {@code jobDir}/job.yaml; a bad file or field throws one {@link ConfigException} line. */
    public static JobDefinition load(Path jobDir) {
        return YamlFiles.read(jobDir.resolve(FILE), JobDefinition.class, JobDefinition::check);
    }

    /** The same job against another broker (tests, or a broker given on the command line). */
    public JobDefinition withBootstrapServers(String bootstrapServers) {
        Kafka k = kafka;
        return new JobDefinition(name, parallelism, new Kafka(bootstrapServers, k.consumerGroup(),
                k.transactionalIdPrefix(), k.startingOffsets(), k.transactionTimeout(), k.properties()),
                topics, delivery, checkpoint, state, ingest, profiles, segments, privacy, network, store, serve);
    }

    /** The same job reading as another consumer group (the benchmark's baseline reads the same input beside it). */
    public JobDefinition withConsumerGroup(String consumerGroup) {
        Kafka k = kafka;
        return new JobDefinition(name, parallelism, new Kafka(k.bootstrapServers(), consumerGroup,
                k.transactionalIdPrefix(), k.startingOffsets(), k.transactionTimeout(), k.properties()),
                topics, delivery, checkpoint, state, ingest, profiles, segments, privacy, network, store, serve);
    }

    private void check() {
        required("kafka", kafka);
        required("topics", topics);
        required("delivery", delivery);
        required("checkpoint", checkpoint);
        positive("parallelism", parallelism);
        kafka.check();
        topics.check();
        checkpoint.check();
        ingest.check();
        profiles.check();
        segments.check();
        state.check();
        privacy.check();
        network.check();
        if (store != null) {
            store.check();
        }
        serve.check();
    }

    public enum DeliveryGuarantee { EXACTLY_ONCE, AT_LEAST_ONCE }

    public enum StartingOffsets { COMMITTED, EARLIEST, LATEST }

    public enum Format { JSON, AVRO }

    public record Kafka(
            @JsonProperty(required = true) String bootstrapServers,
            @JsonProperty(required = true) String consumerGroup,
            @JsonProperty(required = true) String transactionalIdPrefix,
            StartingOffsets startingOffsets,
            Duration transactionTimeout,
            Map<String, String> properties) implements Serializable {

        /** The broker refuses transactions longer than its transaction.max.timeout.ms (15 min by default). */
        static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

        public Kafka {
            startingOffsets = startingOffsets != null ? startingOffsets : StartingOffsets.COMMITTED;
            transactionTimeout = transactionTimeout != null ? transactionTimeout : Duration.ofMinutes(10);
            properties = properties != null ? Map.copyOf(properties) : Map.of();
        }

        void check() {
            notBlank("kafka.bootstrapServers", bootstrapServers);
            notBlank("kafka.consumerGroup", consumerGroup);
            notBlank("kafka.transactionalIdPrefix", transactionalIdPrefix);
            positive("kafka.transactionTimeout", transactionTimeout);
            if (transactionTimeout.compareTo(MAX_TRANSACTION_TIMEOUT) > 0) {
                throw ConfigException.field("kafka.transactionTimeout",
                        "must be at most 15m (the broker's default transaction.max.timeout.ms)");
            }
        }
    }

    public record InputTopic(
            @JsonProperty(required = true) String name,
            @JsonProperty(required = true) Format format) implements Serializable {}

    public record OptionalTopic(
            @JsonProperty(required = true) String name,
            Boolean enabled) implements Serializable {

        public OptionalTopic {
            enabled = enabled == null || enabled;
        }
    }

    public record Topics(
            @JsonProperty(required = true) List<InputTopic> events,
            @JsonProperty(required = true) String deadLetter,
            OptionalTopic enriched,
            @JsonProperty(required = true) String profiles,
            @JsonProperty(required = true) String identityFeedback,
            @JsonProperty(required = true) String identityAudit,
            @JsonProperty(required = true) String segmentControl,
            @JsonProperty(required = true) String segmentChanges,
            @JsonProperty(required = true) String privacyRequests,
            Integer partitions) implements Serializable {

        public Topics {
            events = events != null ? List.copyOf(events) : List.of();
            partitions = partitions != null ? partitions : 4;
        }

        void check() {
            if (events.isEmpty()) {
                throw ConfigException.field("topics.events", "needs at least one input topic");
            }
            for (int i = 0; i < events.size(); i++) {
                notBlank("topics.events[" + i + "].name", events.get(i).name());
                required("topics.events[" + i + "].format", events.get(i).format());
            }
            notBlank("topics.deadLetter", deadLetter);
            notBlank("topics.profiles", profiles);
            notBlank("topics.identityFeedback", identityFeedback);
            notBlank("topics.identityAudit", identityAudit);
            notBlank("topics.segmentControl", segmentControl);
            notBlank("topics.segmentChanges", segmentChanges);
            notBlank("topics.privacyRequests", privacyRequests);
            if (enriched != null) {
                notBlank("topics.enriched.name", enriched.name());
            }
            positive("topics.partitions", partitions);
        }

        public boolean enrichedEnabled() {
            return enriched != null && enriched.enabled();
        }
    }

    public record Checkpoint(
            @JsonProperty(required = true) Duration interval,
            Duration timeout,
            Duration minPause,
            String dir) implements Serializable {

        public Checkpoint {
            timeout = timeout != null ? timeout : Duration.ofMinutes(2);
            minPause = minPause != null ? minPause : Duration.ZERO;
        }

        void check() {
            positive("checkpoint.interval", interval);
            positive("checkpoint.timeout", timeout);
        }
    }

    /**
     * How long a record may wait in a network buffer between operators before the buffer is sent anyway (Flink's
     * execution.buffer-timeout.interval; null: Flink's default, 100 ms). At low rates buffers never fill, so every
     * hop between operators adds up to this much latency; a short timeout costs more, smaller network sends.
     */
    public record Network(Duration bufferTimeout) implements Serializable {

        void check() {
            if (bufferTimeout != null) {
                positive("network.bufferTimeout", bufferTimeout);
            }
        }
    }

    /**
     * RocksDB is the production backend; hashmap is allowed for small local experiments. Bloom filters (RocksDB) are on
     * unless switched off: most of the job's lookups miss (a new message id, an identifier not seen before, the erasure
     * marker of a profile never erased), and a filter answers a miss without searching the files' blocks.
     * {@code localManagedMemory}: RocksDB's memory in a local MiniCluster (a cluster's TaskManagers size their own).
     */
    public record State(String backend, Boolean incremental, Boolean bloomFilter, String localManagedMemory)
            implements Serializable {

        public State {
            backend = backend != null ? backend : "rocksdb";
            localManagedMemory = localManagedMemory != null ? localManagedMemory : "512mb";
            incremental = incremental == null || incremental;
            bloomFilter = bloomFilter == null || bloomFilter;
        }

        void check() {
            FieldChecks.memorySize("state.localManagedMemory", localManagedMemory);
        }
    }

    public record Ingest(
            Integer maxPayloadBytes,
            Duration dedupHorizon,
            Watermarks watermarks,
            String defaultPhoneRegion,
            String previousIdNamespace,
            Integer maxTraitChars,
            Integer maxIdentifierChars,
            Duration maxTimestampAhead) implements Serializable {

        public Ingest {
            maxPayloadBytes = maxPayloadBytes != null ? maxPayloadBytes : 64 * 1024;
            dedupHorizon = dedupHorizon != null ? dedupHorizon : Duration.ofHours(24);
            watermarks = watermarks != null ? watermarks : new Watermarks(null, null);
            defaultPhoneRegion = defaultPhoneRegion != null ? defaultPhoneRegion : "US";
            previousIdNamespace = previousIdNamespace != null ? previousIdNamespace : "anonymous_id";
            maxTraitChars = maxTraitChars != null ? maxTraitChars : 1000;
            maxIdentifierChars = maxIdentifierChars != null ? maxIdentifierChars : 256;
            // Kafka 4 brokers refuse record timestamps more than 1h ahead of theirs, for the same reason
            maxTimestampAhead = maxTimestampAhead != null ? maxTimestampAhead : Duration.ofHours(1);
        }

        void check() {
            positive("ingest.maxPayloadBytes", maxPayloadBytes);
            positive("ingest.dedupHorizon", dedupHorizon);
            positive("ingest.watermarks.outOfOrderness", watermarks.outOfOrderness());
            positive("ingest.watermarks.idleness", watermarks.idleness());
            if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions()
                    .contains(defaultPhoneRegion)) {
                throw ConfigException.field("ingest.defaultPhoneRegion",
                        "'" + defaultPhoneRegion + "' is not an ISO 3166 region code such as US, GB, DE");
            }
            notBlank("ingest.previousIdNamespace", previousIdNamespace);
            positive("ingest.maxTraitChars", maxTraitChars);
            positive("ingest.maxIdentifierChars", maxIdentifierChars);
            positive("ingest.maxTimestampAhead", maxTimestampAhead);
        }
    }

    /**
     * How profiles reconcile traits, how long anonymous-only profiles live unseen, and how many hot profiles the
     * profile operator keeps between flushes ({@code cacheSize} per subtask; {@code flushInterval}: how often
     * AT_LEAST_ONCE writes them back and sends their snapshots, as EXACTLY_ONCE does at each checkpoint).
     */
    public record Profiles(TraitPolicy traitPolicy, List<String> sourcePriority, Duration anonymousTtl,
            Integer maxTraits, Integer cacheSize, Duration flushInterval) implements Serializable {

        public Profiles {
            traitPolicy = traitPolicy != null ? traitPolicy : TraitPolicy.LATEST;
            sourcePriority = sourcePriority != null ? List.copyOf(sourcePriority) : List.of();
            anonymousTtl = anonymousTtl != null ? anonymousTtl : Duration.ofDays(30);
            maxTraits = maxTraits != null ? maxTraits : 100;
            cacheSize = cacheSize != null ? cacheSize : 10_000;
            flushInterval = flushInterval != null ? flushInterval : Duration.ofSeconds(1);
        }

        public Profiles(TraitPolicy traitPolicy, List<String> sourcePriority, Duration anonymousTtl,
                Integer maxTraits) {
            this(traitPolicy, sourcePriority, anonymousTtl, maxTraits, null, null);
        }

        void check() {
            positive("profiles.anonymousTtl", anonymousTtl);
            positive("profiles.maxTraits", maxTraits);
            positive("profiles.cacheSize", cacheSize);
            positive("profiles.flushInterval", flushInterval);
            if (traitPolicy == TraitPolicy.SOURCE_PRIORITY && sourcePriority.isEmpty()) {
                throw ConfigException.field("profiles.sourcePriority",
                        "is required with traitPolicy source_priority: list channels, strongest first");
            }
        }
    }

    /**
     * How segment evaluation schedules window expiry: one timer per profile, rounded up to {@code timerResolution},
     * so many windows lapsing close together cost one evaluation. {@code backfill}: how a definition changed at run
     * time reaches the existing profiles, in slices between events.
     */
    public record Segments(Duration timerResolution, BackfillSettings backfill) implements Serializable {

        public Segments {
            timerResolution = timerResolution != null ? timerResolution : Duration.ofSeconds(1);
            backfill = backfill != null ? backfill : new BackfillSettings(null, null, null);
        }

        void check() {
            positive("segments.timerResolution", timerResolution);
            backfill.check();
        }
    }

    /**
     * GDPR erasure and the suppression list. The list holds HMAC-SHA256 hashes of normalised identifiers keyed with
     * {@code suppressionSalt} (a secret: "env:NAME" reads it from the environment variable NAME; changing it
     * forgets the list), each kept for {@code suppressionRetention} after its request. An erased profile id keeps a
     * marker without personal data for {@code erasureGrace}, so messages still in flight cannot re-create her.
     */
    public record Privacy(String suppressionSalt, Duration suppressionRetention, Duration erasureGrace)
            implements Serializable {

        /** Only for jobs that set none: it is public, so anyone can test a guess against the list. */
        static final String DEFAULT_SALT = "streaming-cdp default suppression salt: set privacy.suppressionSalt";
        static final int MIN_SALT_LENGTH = 16;

        public Privacy {
            suppressionSalt = suppressionSalt != null ? suppressionSalt : DEFAULT_SALT;
            suppressionRetention = suppressionRetention != null ? suppressionRetention : Duration.ofDays(1095);
            erasureGrace = erasureGrace != null ? erasureGrace : Duration.ofHours(1);
        }

        /** The salt itself, read from the environment when written as env:NAME. */
        public String salt() {
            if (!suppressionSalt.startsWith("env:")) {
                return suppressionSalt;
            }
            String name = suppressionSalt.substring(4);
            String value = System.getenv(name);
            if (value == null) {
                throw ConfigException.field("privacy.suppressionSalt", "environment variable " + name + " is not set");
            }
            return value;
        }

        void check() {
            if (salt().length() < MIN_SALT_LENGTH) {
                throw ConfigException.field("privacy.suppressionSalt",
                        "must be at least " + MIN_SALT_LENGTH + " characters (a secret, e.g. 32 random ones)");
            }
            positive("privacy.suppressionRetention", suppressionRetention);
            positive("privacy.erasureGrace", erasureGrace);
            if (erasureGrace.compareTo(suppressionRetention) > 0) {
                throw ConfigException.field("privacy.erasureGrace", "must not be longer than suppressionRetention");
            }
        }
    }

    /** latest: the trait value with the latest event time wins; source_priority: the stronger channel wins. */
    public enum TraitPolicy { LATEST, SOURCE_PRIORITY }

    public record Watermarks(Duration outOfOrderness, Duration idleness) implements Serializable {

        public Watermarks {
            outOfOrderness = outOfOrderness != null ? outOfOrderness : Duration.ofSeconds(10);
            idleness = idleness != null ? idleness : Duration.ofSeconds(30);
        }
    }
}
