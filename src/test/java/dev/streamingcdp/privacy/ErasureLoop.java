package dev.streamingcdp.privacy;

import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityFunction;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.EraseIdentifier;
import dev.streamingcdp.identity.avro.EventForAnchor;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import dev.streamingcdp.profile.ProfileOperator;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.SegmentCatalog;
import dev.streamingcdp.testing.ProfileHarness;
import dev.streamingcdp.testing.ProfileTestHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.OperatorStreamStateHandle;
import org.apache.flink.runtime.state.StateObject;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * The privacy filter, the identity operator and the profile operator of the job, each the real operator in Flink's
 * test harness, wired into the job's loop with every hop a channel: events from the source, the ingest path to
 * identity, identity to profile, and the feedback topic back to identity, to profiles and to the filter. Each step
 * delivers the head of a channel chosen at random, so messages between two parties stay in order (as a keyed Kafka
 * partition or network channel keeps them) while everything else interleaves in any order the seed picks.
 */
final class ErasureLoop implements AutoCloseable {

    static final long START = 1_000;
    private static final String SOURCE = "source";
    private static final String FILTER = "filter";

    private final IdentityRules rules;
    private final Suppressions suppressions;
    private final BroadcastOperatorTestHarness<CdpEvent, SuppressionUpdate, CdpEvent> filter;
    private final KeyedOneInputStreamOperatorTestHarness<String, IdentityCommand, ProfileCommand> identity;
    private final ProfileTestHarness profiles;
    /** Channels by "from->to", in the order they were opened (so that a seed replays the same run). */
    private final Map<String, Deque<Object>> channels = new LinkedHashMap<>();
    /** The profile topic as a compacted topic ends: the last value per key (null: a tombstone). */
    private final Map<String, ProfileUpdate> profileTopic = new LinkedHashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private int sourced;

    ErasureLoop(IdentityRules rules, SegmentCatalog catalog, Suppressions suppressions) throws Exception {
        this.rules = rules;
        this.suppressions = suppressions;
        filter = new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(
                new SuppressionFilter(suppressions), List.of(SuppressionFilter.SUPPRESSED)), 1, 1, 0);
        filter.open();
        Duration grace = Duration.ofMillis(suppressions.erasureGraceMillis());
        identity = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IdentityFunction(rules, grace)), IdentityCommand::getKey, Types.STRING);
        identity.open();
        profiles = ProfileHarness.of(ProfileHarness.operator(rules, catalog, Duration.ofDays(30), suppressions,
                ProfileHarness.CACHE), true);
        time(START);
    }

    /** An event written to the input topic: it passes the filter at some later step. */
    void send(CdpEvent event) {
        enqueue(SOURCE + "#" + sourced++ + "->" + FILTER, event);
    }

    /** An ERASE request as the privacy stage turns it into messages: the suppression, and the erasure. */
    void erase(String requestId, Identifier named) {
        enqueue("privacy->" + FILTER, suppressions.add(requestId, START, List.of(named)));
        enqueue("privacy->" + Commands.toIdentifier(named, null).getKey(),
                Commands.toIdentifier(named, new EraseIdentifier(requestId, START)));
    }

    /** Delivers messages in a random order until no channel holds any. */
    void run(Random random) throws Exception {
        for (int steps = 0; ; steps++) {
            List<String> open = channels.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                    .map(Map.Entry::getKey).toList();
            if (open.isEmpty()) {
                return;
            }
            if (steps > 50_000) {
                throw new AssertionError("the loop does not come to rest: " + open);
            }
            deliver(channels.get(open.get(random.nextInt(open.size()))).poll());
        }
    }

    /** Moves processing time on (timers fire), then lets what they sent settle in the given order. */
    void time(long now) throws Exception {
        filter.setProcessingTime(now);
        identity.setProcessingTime(now);
        drainIdentity("timer");
        profiles.setProcessingTime(now);
        drainProfiles("timer");
    }

    Map<String, ProfileUpdate> profileTopic() {
        return profileTopic;
    }

    List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** Every byte of the three operators' state as a checkpoint would write it (keys, values, timers). */
    String stateBytes() throws Exception {
        StringBuilder all = new StringBuilder();
        for (OperatorSubtaskState s : List.of(filter.snapshot(1, 1), identity.snapshot(1, 1),
                profiles.snapshot(1, 1))) {
            for (StateObject o : List.of(s.getManagedKeyedState(), s.getManagedOperatorState(),
                    s.getRawKeyedState(), s.getRawOperatorState()).stream().flatMap(c -> c.stream()).toList()) {
                all.append(bytes(o));
            }
        }
        return all.toString();
    }

    private static String bytes(StateObject o) throws IOException {
        StreamStateHandle handle = o instanceof KeyGroupsStateHandle k ? k.getDelegateStateHandle()
                : o instanceof OperatorStreamStateHandle s ? s.getDelegateStateHandle()
                : o instanceof StreamStateHandle h ? h : null;
        if (handle == null) {
            throw new IllegalStateException("a state handle this scan cannot read: " + o.getClass());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = handle.openInputStream()) {
            in.transferTo(out);
        }
        return out.toString(StandardCharsets.ISO_8859_1); // byte for byte: ASCII values show as themselves
    }

    private void deliver(Object message) throws Exception {
        if (message instanceof CdpEvent event) {
            filter.processElement(event, 0);
            for (Object o : poll(filter.getOutput())) {
                CdpEvent passed = (CdpEvent) ((StreamRecord<?>) o).getValue();
                IdentityCommand routed = Commands.toIdentifier(rules.strongest(passed.getIdentifiers()),
                        new EventForAnchor(passed));
                enqueue("ingest->" + routed.getKey(), routed);
            }
            deadLetters.addAll(side(filter, DeadLetters.TAG));
        } else if (message instanceof SuppressionUpdate update) {
            filter.processBroadcastElement(update, 0);
        } else if (message instanceof IdentityCommand c) {
            identity.processElement(c, 0);
            drainIdentity(c.getKey());
        } else if (message instanceof ProfileCommand c) {
            profiles.processElement(c, 0);
            drainProfiles(c.getProfileId());
        } else {
            throw new IllegalStateException("not a message of the loop: " + message);
        }
    }

    private void drainIdentity(String from) {
        for (Object o : poll(identity.getOutput())) {
            if (o instanceof StreamRecord<?> r) {
                ProfileCommand c = (ProfileCommand) r.getValue();
                enqueue(from + "->" + c.getProfileId(), c);
            }
        }
        deadLetters.addAll(side(identity, DeadLetters.TAG));
    }

    private void drainProfiles(String from) {
        for (Object o : poll(profiles.getOutput())) {
            if (o instanceof StreamRecord<?> r) {
                ProfileUpdate u = (ProfileUpdate) r.getValue();
                profileTopic.put(u.getProfileId(), u.getState() == null && u.getMergedInto() == null ? null : u);
            }
        }
        for (FeedbackMessage m : side(profiles, ProfileOperator.FEEDBACK)) {
            Object c = m.getCommand();
            String to = c instanceof IdentityCommand i ? i.getKey()
                    : c instanceof ProfileCommand p ? p.getProfileId() : FILTER;
            enqueue(from + "->" + to, c);
        }
        deadLetters.addAll(side(profiles, DeadLetters.TAG));
        side(profiles, ProfileOperator.ACTIVATION);
        side(profiles, ProfileOperator.SEGMENT_CHANGES);
        side(profiles, ProfileOperator.REJECTED_LINKS);
    }

    private void enqueue(String channel, Object message) {
        channels.computeIfAbsent(channel, c -> new ArrayDeque<>()).add(message);
    }

    private static List<Object> poll(Queue<Object> queue) {
        List<Object> all = new ArrayList<>();
        for (Object o; (o = queue.poll()) != null; ) {
            all.add(o);
        }
        return all;
    }

    private static <T> List<T> side(org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness<?> h,
            OutputTag<T> tag) {
        Queue<StreamRecord<T>> records = h.getSideOutput(tag);
        List<T> all = new ArrayList<>();
        if (records != null) {
            for (StreamRecord<T> r; (r = records.poll()) != null; ) {
                all.add(r.getValue());
            }
        }
        return all;
    }

    @Override
    public void close() throws Exception {
        try (filter; identity; profiles) {
            channels.clear();
        }
    }
}
