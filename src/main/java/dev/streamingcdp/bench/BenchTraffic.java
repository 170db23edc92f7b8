package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.profile.ProfileId;
import dev.streamingcdp.simulator.SimulatedRecord;
import dev.streamingcdp.simulator.TrafficGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.UUID;

/**
 * The simulator's traffic with two kinds of benchmark records mixed in. A merge: an anonymous page view, and a little
 * later an identify that links that cookie to a new user id, so the anonymous profile is absorbed. A probe: an
 * identify whose trait puts a new profile into the probe segment at once. Both name the profile id whose output record
 * (profile.merged, or the activation) ends their latency.
 */
public final class BenchTraffic {

    /** What a record is for the measurement; {@code profileId} is the profile whose output ends its latency. */
    public enum Kind { SIMULATED, MERGE_START, MERGE_LINK, PROBE }

    public record Record(String topic, String key, byte[] value, Kind kind, String profileId) {}

    private record PendingLink(long due, String anonymousId, String userId) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrafficGenerator simulator;
    private final String topic;
    private final String tag;
    private final double mergeShare;
    private final double probeShare;
    private final long linkDelayRecords;
    private final Instant start;
    private final Duration timeStep;
    private final Random random;
    private final Deque<PendingLink> links = new ArrayDeque<>();
    private long simulated;
    private long produced;
    private long injected;

    /**
     * @param topic            the JSON input topic the benchmark records go to
     * @param tag              makes the benchmark's ids unique per phase
     * @param linkDelayRecords how many records after its page view a merge's link is sent (time enough for the
     *                         anonymous profile to exist)
     * @param start            event time of the simulator's first record, and {@code timeStep} between two records:
     *                         the benchmark records take the simulator's current event time
     */
    public BenchTraffic(TrafficGenerator simulator, String topic, String tag, double mergeShare, double probeShare,
            long linkDelayRecords, Instant start, Duration timeStep, long seed) {
        this.simulator = simulator;
        this.topic = topic;
        this.tag = tag;
        this.mergeShare = mergeShare;
        this.probeShare = probeShare;
        this.linkDelayRecords = linkDelayRecords;
        this.start = start;
        this.timeStep = timeStep;
        this.random = new Random(seed);
    }

    public Record next() {
        produced++;
        PendingLink link = links.peek();
        if (link != null && link.due() <= produced) {
            links.poll();
            return record(link.userId(), event("identify").put("userId", link.userId())
                    .put("anonymousId", link.anonymousId()), Kind.MERGE_LINK, profileId("anonymous_id", link.anonymousId()));
        }
        double roll = random.nextDouble();
        if (roll < mergeShare) {
            String anonymousId = tag + "-anon-" + injected;
            links.add(new PendingLink(produced + linkDelayRecords, anonymousId, tag + "-user-" + injected));
            ObjectNode page = event("page").put("anonymousId", anonymousId).put("name", "Home");
            page.putObject("properties").put("path", "/");
            return record(anonymousId, page, Kind.MERGE_START, profileId("anonymous_id", anonymousId));
        }
        if (roll < mergeShare + probeShare) {
            String userId = tag + "-probe-" + injected;
            ObjectNode identify = event("identify").put("userId", userId);
            identify.putObject("traits").put(BenchJobDir.PROBE_TRAIT, true);
            identify.putObject("context").putObject("consent").putObject("categoryPreferences").put("marketing", true);
            return record(userId, identify, Kind.PROBE, profileId("user_id", userId));
        }
        SimulatedRecord r = simulator.next();
        simulated++;
        return new Record(r.topic(), r.key(), r.value(), Kind.SIMULATED, null);
    }

    private ObjectNode event(String type) {
        injected++;
        ObjectNode e = JSON.createObjectNode();
        e.put("type", type).put("messageId", new UUID(random.nextLong(), random.nextLong()).toString())
                .put("timestamp", start.plus(timeStep.multipliedBy(simulated)).toString())
                .put("channel", "browser");
        return e;
    }

    private Record record(String key, ObjectNode event, Kind kind, String profileId) {
        return new Record(topic, key, event.toString().getBytes(StandardCharsets.UTF_8), kind, profileId);
    }

    static String profileId(String namespace, String value) {
        return ProfileId.of(new Identifier(namespace, value));
    }
}
