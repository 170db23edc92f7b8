package dev.streamingcdp.profile;

import dev.streamingcdp.activation.ActivationInputs;
import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.IdentityRules;
import dev.streamingcdp.identity.avro.Absorb;
import dev.streamingcdp.identity.avro.ClaimConflict;
import dev.streamingcdp.identity.avro.ClaimGranted;
import dev.streamingcdp.identity.avro.ClaimIdentifier;
import dev.streamingcdp.identity.avro.ClaimRejected;
import dev.streamingcdp.identity.avro.EraseProfile;
import dev.streamingcdp.identity.avro.EventAtProfile;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.ForgetIdentifier;
import dev.streamingcdp.identity.avro.MergeAnswer;
import dev.streamingcdp.identity.avro.MergeOffer;
import dev.streamingcdp.identity.avro.MergeProposal;
import dev.streamingcdp.identity.avro.MergeStatus;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.identity.avro.RelabelIdentifier;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.ingest.RejectReason;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.LinkRejection;
import dev.streamingcdp.model.Namespaces;
import dev.streamingcdp.model.ProfileState;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;
import dev.streamingcdp.privacy.AfterErasure;
import dev.streamingcdp.privacy.Suppressions;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import dev.streamingcdp.segment.ActiveSegments;
import dev.streamingcdp.segment.Memberships;
import dev.streamingcdp.segment.ProfileSegments;
import dev.streamingcdp.segment.SegmentDefinition;
import dev.streamingcdp.segment.avro.SegmentControl;
import dev.streamingcdp.segment.avro.SegmentState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by profile id: one person's profile, and the profile's side of the merge protocol.
 *
 * <p>An event lands here from the identity operator and is applied at once. Identifiers on it that the profile does
 * not hold yet are claimed from the identity operator; a conflict means the identifier belongs to another profile and
 * the two merge. A merge always folds the profile with the weaker label into the one with the stronger label:
 * proposal (to the weaker) ► offer (to the stronger, which checks the identity rules) ► answer ► absorb (the whole
 * state moves; the weaker one keeps only a pointer and forwards whatever still reaches it). While its offer is out, a
 * profile defers events and merge steps, so what it offered is exactly what it moves. Because labels only get
 * stronger, forwarding chains end, and the survivor of a component is its strongest identifier's profile.
 *
 * <p>Segments live here too, because they need the profile whole and a merge must move their facts with it: every
 * change re-evaluates the memberships ({@link ProfileSegments}), one event-time timer per profile catches the next
 * window that lapses, and definitions arrive as broadcast state (a new or changed one is evaluated for every
 * profile at once; a deleted one exits its members). Membership changes go to {@link #SEGMENT_CHANGES}.
 *
 * <p>GDPR erasure ({@link EraseProfile}) removes everything of a profile id: she exits her segments, activation tells
 * every destination that had her, the profile topic gets a tombstone, her identity nodes and the profiles she absorbed
 * are erased in turn, her identifiers' hashes go to the suppression list, and all state of the id is cleared. Only
 * a marker without personal data stays for {@code privacy.erasureGrace}, so messages still in flight to her
 * ({@link AfterErasure}) cannot re-create her.
 */
public class ProfileFunction extends KeyedBroadcastProcessFunction<String, ProfileCommand, SegmentControl, ProfileUpdate> {

    public static final OutputTag<FeedbackMessage> FEEDBACK =
            new OutputTag<>("identity-feedback", new AvroTypeInfo<>(FeedbackMessage.class));
    public static final OutputTag<LinkRejection> REJECTED_LINKS =
            new OutputTag<>("rejected-links", new AvroTypeInfo<>(LinkRejection.class));
    public static final OutputTag<SegmentChange> SEGMENT_CHANGES =
            new OutputTag<>("segment-changes", new AvroTypeInfo<>(SegmentChange.class));
    /** After a change of memberships or consent: what activation needs to know of the profile. */
    public static final OutputTag<ActivationInput> ACTIVATION =
            new OutputTag<>("activation", new AvroTypeInfo<>(ActivationInput.class));

    /** Broadcast: segment id -> the latest accepted control record (definition null: deleted). */
    public static final MapStateDescriptor<String, SegmentControl> DEFINITIONS = new MapStateDescriptor<>(
            "segment-definitions", Types.STRING, new AvroTypeInfo<>(SegmentControl.class));

    public static final ValueStateDescriptor<ProfileState> PROFILE =
            new ValueStateDescriptor<>("profile", new AvroTypeInfo<>(ProfileState.class));
    static final ValueStateDescriptor<MergeStatus> STATUS =
            new ValueStateDescriptor<>("merge-status", new AvroTypeInfo<>(MergeStatus.class));
    public static final ValueStateDescriptor<SegmentState> SEGMENTS =
            new ValueStateDescriptor<>("segment-memberships", new AvroTypeInfo<>(SegmentState.class));
    /** Set for a while after an erasure (no personal data): in-flight messages must not re-create her. */
    public static final ValueStateDescriptor<ErasureMarker> ERASED =
            new ValueStateDescriptor<>("erased", new AvroTypeInfo<>(ErasureMarker.class));

    private final IdentityRules rules;
    private final ProfileLogic logic;
    private final long anonymousTtlMillis;
    private final ProfileSegments segments;
    private final Suppressions suppressions;

    private transient ValueState<ProfileState> profileState;
    private transient ValueState<ErasureMarker> erasedState;
    private transient ValueState<MergeStatus> statusState;
    private transient ValueState<SegmentState> segmentState;
    /** Built from the broadcast state on first use and after each definition change. */
    private transient ActiveSegments active;
    /**
     * The keyed side's timer service, for the broadcast side, which has none: applyToKeyedState makes each profile
     * the current key (the segment state there relies on that too), so a timer registered through it is that
     * profile's. Null until this instance's first command or timer; a definition arriving before that (right after a
     * restore) cannot move timers, and its timed changes wait for the profile's next event or timer.
     */
    private transient TimerService timers;
    private transient Map<String, Counter> segmentCounters;
    private transient MetricGroup metrics;
    private transient Counter created;
    private transient Counter removed;
    private transient Counter merges;
    private transient Counter redirects;
    private transient Counter erased;
    private transient Counter droppedAfterErasure;
    private transient Map<String, Counter> rejectedByRule;

    public ProfileFunction(IdentityRules rules, ProfileLogic logic, Duration anonymousTtl, ProfileSegments segments) {
        this(rules, logic, anonymousTtl, segments, Suppressions.defaults());
    }

    public ProfileFunction(IdentityRules rules, ProfileLogic logic, Duration anonymousTtl, ProfileSegments segments,
            Suppressions suppressions) {
        this.rules = rules;
        this.logic = logic;
        this.anonymousTtlMillis = anonymousTtl.toMillis();
        this.segments = segments;
        this.suppressions = suppressions;
    }

    @Override
    public void open(OpenContext openContext) {
        profileState = getRuntimeContext().getState(PROFILE);
        statusState = getRuntimeContext().getState(STATUS);
        segmentState = getRuntimeContext().getState(SEGMENTS);
        erasedState = getRuntimeContext().getState(ERASED);
        segmentCounters = new HashMap<>();
        metrics = getRuntimeContext().getMetricGroup().addGroup("profile");
        created = metrics.counter("profilesCreated");
        removed = metrics.counter("profilesRemoved");
        merges = metrics.counter("merges");
        redirects = metrics.counter("redirects");
        erased = metrics.counter("profilesErased");
        droppedAfterErasure = metrics.counter("eventsDroppedAfterErasure");
        rejectedByRule = new HashMap<>();
    }

    @Override
    public void processElement(ProfileCommand command, ReadOnlyContext ctx, Collector<ProfileUpdate> out)
            throws Exception {
        timers = ctx.timerService();
        ErasureMarker marker = erasedState.value();
        if (marker != null) {
            AfterErasure.handle(ctx.getCurrentKey(), marker, command.getBody(), new ErasedOutputs(ctx, marker));
            return;
        }
        Step step = new Step(ctx, out);
        step.handle(command);
        step.save();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProfileUpdate> out) throws Exception {
        timers = ctx.timerService();
        ErasureMarker marker = erasedState.value();
        if (marker != null) { // its other timers were deleted; this is the marker's own
            if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME && timestamp >= marker.getUntil()) {
                erasedState.clear();
            }
            return;
        }
        Step step = new Step(ctx, out);
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            step.windowLapsed(timestamp);
        } else {
            step.expire(timestamp);
        }
        step.save();
    }

    /**
     * A definition was added, changed or deleted: every profile of this instance is evaluated against it now
     * (backfill), without waiting for her next event. Only real membership changes are emitted.
     */
    @Override
    public void processBroadcastElement(SegmentControl control, Context ctx, Collector<ProfileUpdate> out)
            throws Exception {
        SegmentDefinition before = active(ctx.getBroadcastState(DEFINITIONS).immutableEntries())
                .segment(control.getSegmentId()).orElse(null);
        ctx.getBroadcastState(DEFINITIONS).put(control.getSegmentId(), control);
        active = segments.active(ctx.getBroadcastState(DEFINITIONS).immutableEntries());
        SegmentDefinition after = active.segment(control.getSegmentId()).orElse(null);
        long watermark = ctx.currentWatermark();
        ctx.applyToKeyedState(PROFILE, (profileId, state) -> {
            ProfileState profile = state.value();
            if (profile == null) {
                return;
            }
            SegmentState memberships = segmentState.value();
            memberships = memberships != null ? memberships : ProfileSegments.emptyState();
            long now = ProfileSegments.clock(profile, watermark);
            ProfileSegments.Evaluation evaluation = after == null ? null : segments.evaluate(profileId, profile,
                    memberships, active, List.of(after), watermark, now, Memberships.Trigger.DEFINITION);
            List<SegmentChange> changes = evaluation != null ? evaluation.changes()
                    : Memberships.exit(profileId, memberships, before, now, Memberships.Trigger.SEGMENT_DELETED);
            // The new definition may lapse before the profile's timer (a sequence with a shorter window): move it.
            boolean rescheduled = evaluation != null && timers != null
                    && schedule(timers, memberships, evaluation.timer());
            if (!changes.isEmpty() || rescheduled) {
                changes.forEach(c -> ctx.output(SEGMENT_CHANGES, counted(c)));
                segmentState.update(memberships);
                ctx.output(ACTIVATION, ActivationInputs.of(profileId, profile, memberships, active, changes, List.of(),
                        now, null, false));
            }
        });
    }

    private ActiveSegments active(Iterable<Map.Entry<String, SegmentControl>> controls) {
        if (active == null) {
            active = segments.active(controls);
        }
        return active;
    }

    /** What an erased profile id sends while messages in flight still reach it. */
    private final class ErasedOutputs implements AfterErasure.Outputs {
        private final ReadOnlyContext ctx;
        private final ErasureMarker marker;

        ErasedOutputs(ReadOnlyContext ctx, ErasureMarker marker) {
            this.ctx = ctx;
            this.marker = marker;
        }

        @Override
        public void toIdentifier(Identifier x, Object body) {
            ctx.output(FEEDBACK, Commands.feedback(Commands.toIdentifier(x, body)));
        }

        @Override
        public void toProfile(String profileId, Object body) {
            ctx.output(FEEDBACK, Commands.feedback(Commands.toProfile(profileId, body)));
        }

        @Override
        public void suppress(Collection<Identifier> identifiers) {
            ctx.output(FEEDBACK, Commands.feedback(
                    suppressions.add(marker.getRequestId(), marker.getRequestedAt(), identifiers)));
        }

        @Override
        public void deadLetter(CdpEvent event) {
            droppedAfterErasure.inc();
            ctx.output(DeadLetters.TAG, new DeadLetter(RejectReason.SUPPRESSED.code(),
                    "reached an erased profile while in flight (request " + marker.getRequestId()
                            + "); payload withheld", event.getSource(), ByteBuffer.allocate(0)));
        }
    }

    /** Keeps one event-time timer per profile, at {@code at} (0: none); whether it moved. */
    private static boolean schedule(TimerService timers, SegmentState s, long at) {
        if (s.getTimerAt() == at) {
            return false;
        }
        if (s.getTimerAt() != 0) {
            timers.deleteEventTimeTimer(s.getTimerAt());
        }
        if (at != 0) {
            timers.registerEventTimeTimer(at);
        }
        s.setTimerAt(at);
        return true;
    }

    /** Counts per segment: entered and exited. */
    private SegmentChange counted(SegmentChange change) {
        String name = change.getSegmentId() + "." + change.getType();
        segmentCounters.computeIfAbsent(name, n -> metrics.addGroup("segment", change.getSegmentId())
                .counter(Memberships.ENTERED.equals(change.getType()) ? "entered" : "exited")).inc();
        return change;
    }

    /** One command's work on one profile: the state is read once, changed, and written back once. */
    private final class Step {
        private final ReadOnlyContext ctx;
        private final Collector<ProfileUpdate> out;
        private final String id;
        private ProfileState profile;
        private final MergeStatus status;
        private boolean profileChanged;
        private final ActiveSegments active;
        private SegmentState memberships;
        /** Why segments are evaluated in this step (null: nothing they depend on changed) and at what event time. */
        private Memberships.Trigger trigger;
        private long occurredAt;
        /**
         * Kafka timestamp of the input event that set the trigger, for activation's latency histogram. Null when no
         * input event did: a lapsed window, a merge (the linking event is not carried through the merge protocol);
         * definition backfills and the exits of a profile merged away, removed or erased send null as well.
         */
        private Long triggeredAt;
        private final Map<String, Boolean> consentBefore;
        /** Set when this step erased the profile id: save() then clears everything and keeps only this. */
        private ErasureMarker erasure;

        Step(ReadOnlyContext ctx, Collector<ProfileUpdate> out) throws Exception {
            this.ctx = ctx;
            this.out = out;
            this.id = ctx.getCurrentKey();
            this.profile = profileState.value();
            MergeStatus s = statusState.value();
            this.status = s != null ? s : MergeStatus.newBuilder().build();
            this.active = active(ctx.getBroadcastState(DEFINITIONS).immutableEntries());
            this.consentBefore = ActivationInputs.consent(profile);
        }

        void handle(ProfileCommand command) throws Exception {
            Object body = command.getBody();
            if (body instanceof EraseProfile e) { // before all else: a pointer, or a profile waiting for an offer
                erase(e);
            } else if (status.getMergedInto() != null) {
                forward(command);
            } else if (status.getOfferedTo() != null && waitsForOffer(body)) {
                status.getWaiting().add(command);
            } else if (body instanceof EventAtProfile e) {
                onEvent(e);
            } else if (body instanceof ClaimGranted g) {
                onGranted(g);
            } else if (body instanceof ClaimRejected r) {
                status.getPendingClaims().remove(ProfileLogic.key(r.getIdentifier()));
                reject(r.getRule(), r.getDetail(), r.getMessageId(), r.getIdentifier());
            } else if (body instanceof ClaimConflict c) {
                onConflict(c);
            } else if (body instanceof MergeProposal p) {
                onProposal(p);
            } else if (body instanceof MergeOffer o) {
                onOffer(o);
            } else if (body instanceof MergeAnswer a) {
                onAnswer(a);
            } else if (body instanceof Absorb a) {
                onAbsorb(a);
            }
        }

        /** Events and merge steps wait while this profile's own offer is out; claim answers and absorbs do not. */
        private boolean waitsForOffer(Object body) {
            return body instanceof EventAtProfile || body instanceof ClaimConflict
                    || body instanceof MergeProposal || body instanceof MergeOffer;
        }

        // ---- events and claims

        private void onEvent(EventAtProfile e) {
            CdpEvent event = e.getEvent();
            if (profile == null) {
                profile = ProfileLogic.create(id, e.getLabel(), event.getEventTime());
                profile.getIdentifiers().put(ProfileLogic.key(e.getLabel()), e.getLabel());
                created.inc();
            }
            logic.apply(profile, event);
            segments.record(profile, event, active, watermark());
            profileChanged = true;
            long receivedAt = event.getSource().getReceivedAt();
            evaluateSegments(Memberships.Trigger.EVENT, event.getEventTime().toEpochMilli(),
                    receivedAt > 0 ? receivedAt : null);
            if (e.getRedirects() > 0) { // it came the long way: point its identifier here for next time
                sendToIdentifier(rules.strongest(event.getIdentifiers()),
                        new RelabelIdentifier(id, profile.getLabel()));
            }
            claimUnknownIdentifiers(event);
            status.setLastTouched(ctx.timerService().currentProcessingTime());
            scheduleExpiry();
        }

        private void claimUnknownIdentifiers(CdpEvent event) {
            Map<String, Integer> counts = null;
            List<String> userIds = null;
            for (Identifier x : event.getIdentifiers()) {
                String key = ProfileLogic.key(x);
                if (profile.getIdentifiers().containsKey(key) || status.getPendingClaims().containsKey(key)) {
                    continue;
                }
                if (counts == null) {
                    counts = committedCounts();
                    userIds = userIds(event);
                }
                int limit = rules.limit(x.getNamespace());
                if (counts.getOrDefault(x.getNamespace(), 0) + 1 > limit) {
                    reject(limit == 1 ? "unique" : "limit", "the profile already has " + limit + " "
                            + x.getNamespace() + (limit == 1 ? "" : " values"), event.getMessageId(), x);
                    continue;
                }
                counts.merge(x.getNamespace(), 1, Integer::sum);
                status.getPendingClaims().put(key, x.getNamespace());
                sendToIdentifier(x, new ClaimIdentifier(id, profile.getLabel(), event.getMessageId(), userIds));
            }
        }

        private void onGranted(ClaimGranted g) {
            String key = ProfileLogic.key(g.getIdentifier());
            status.getPendingClaims().remove(key);
            if (profile == null) { // removed meanwhile: release the identifier again
                sendToIdentifier(g.getIdentifier(), new ForgetIdentifier(id, false));
            } else if (profile.getIdentifiers().putIfAbsent(key, g.getIdentifier()) == null) {
                profileChanged = true;
            }
        }

        private void onConflict(ClaimConflict c) throws Exception {
            status.getPendingClaims().remove(ProfileLogic.key(c.getIdentifier()));
            if (profile == null || c.getOtherProfileId().equals(id)) {
                return;
            }
            onProposal(new MergeProposal(c.getOtherProfileId(), c.getOtherLabel(), c.getMessageId()));
        }

        // ---- the merge protocol

        /** Someone linked this profile with another: the weaker of the two offers itself to the stronger. */
        private void onProposal(MergeProposal p) throws Exception {
            if (p.getSurvivorId().equals(id)) {
                return;
            }
            if (profile == null) { // nothing to move: just point onwards
                markMerged(p.getSurvivorId(), p.getSurvivorLabel());
                return;
            }
            if (rules.compare(profile.getLabel(), p.getSurvivorLabel()) < 0) {
                sendToProfile(p.getSurvivorId(), new MergeProposal(id, profile.getLabel(), p.getMessageId()));
                return;
            }
            status.setOfferedTo(p.getSurvivorId());
            sendToProfile(p.getSurvivorId(), new MergeOffer(id, profile.getLabel(), p.getSurvivorLabel(),
                    offeredCounts(), p.getMessageId()));
        }

        /** The stronger profile decides: accepting reserves room for what comes, so later checks see it. */
        private void onOffer(MergeOffer o) {
            // With no state yet (its first event is still on the way) it is created when the state arrives.
            Identifier label = profile != null ? profile.getLabel() : o.getToLabel();
            Map<String, Integer> combined = committedCounts();
            o.getNamespaceCounts().forEach((ns, n) -> combined.merge(ns, n, Integer::sum));
            Optional<IdentityRules.Violation> violation = rules.violation(combined);
            if (violation.isPresent()) {
                IdentityRules.Violation v = violation.get();
                reject(v.rule(), v.detail() + " if " + o.getFromId() + " merged in", o.getMessageId(),
                        o.getFromLabel());
                sendToProfile(o.getFromId(), new MergeAnswer(id, label, false, v.rule(), v.detail()));
                return;
            }
            o.getNamespaceCounts().forEach((ns, n) -> status.getReserved().merge(ns, n, Integer::sum));
            sendToProfile(o.getFromId(), new MergeAnswer(id, label, true, null, null));
        }

        private void onAnswer(MergeAnswer a) throws Exception {
            status.setOfferedTo(null);
            if (profile == null) {
                // Not an answer to an offer of ours (only a profile offers): a leftover on the feedback topic from an
                // earlier run, when the job started without state. Nothing to move.
                replayWaiting();
                return;
            }
            if (a.getAccepted()) {
                sendToProfile(a.getSurvivorId(), new Absorb(id, a.getSurvivorLabel(), offeredCounts(), profile,
                        new HashMap<>(status.getPendingClaims()), new HashMap<>(status.getReserved())));
                for (Identifier x : profile.getIdentifiers().values()) {
                    sendToIdentifier(x, new RelabelIdentifier(a.getSurvivorId(), a.getSurvivorLabel()));
                }
                merges.inc();
                markMerged(a.getSurvivorId(), a.getSurvivorLabel());
            }
            replayWaiting();
        }

        private void onAbsorb(Absorb a) {
            if (profile == null) {
                profile = ProfileLogic.create(id, a.getSurvivorLabel(),
                        a.getState() != null ? a.getState().getFirstSeen() : java.time.Instant.now());
                profile.getIdentifiers().put(ProfileLogic.key(a.getSurvivorLabel()), a.getSurvivorLabel());
                created.inc();
            }
            if (a.getState() != null && !logic.absorb(profile, a.getState())) {
                return; // already absorbed: a repeated message changes nothing
            }
            a.getOfferedCounts().forEach((ns, n) -> status.getReserved().merge(ns, -n, Integer::sum));
            a.getReserved().forEach((ns, n) -> status.getReserved().merge(ns, n, Integer::sum));
            status.getReserved().values().removeIf(n -> n == 0);
            status.getPendingClaims().putAll(a.getPendingClaims());
            profileChanged = true;
            evaluateSegments(Memberships.Trigger.MERGE, ProfileSegments.clock(profile, watermark()), null);
        }

        private void markMerged(String survivorId, Identifier survivorLabel) throws Exception {
            status.setMergedInto(survivorId);
            status.setMergedIntoLabel(survivorLabel);
            status.getPendingClaims().clear();
            status.getReserved().clear();
            if (profile != null || status.getLastTouched() > 0) {
                out.collect(new ProfileUpdate(id, null, survivorId, Map.of()));
            }
            if (profile != null) {
                exitAll(Memberships.Trigger.PROFILE_MERGED, Map.of("survivorId", survivorId));
            }
            profile = null;
            profileChanged = true;
        }

        /** A pointer is all that is left of an absorbed profile: everything goes on to the survivor. */
        private void forward(ProfileCommand command) {
            Object body = command.getBody();
            String survivor = status.getMergedInto();
            if (body instanceof EventAtProfile e) {
                redirects.inc();
                sendToProfile(survivor, new EventAtProfile(e.getEvent(), status.getMergedIntoLabel(),
                        e.getRedirects() + 1));
            } else if (body instanceof MergeProposal p) {
                if (!p.getSurvivorId().equals(survivor)) { // the link now joins our survivor and theirs
                    boolean oursStronger = rules.compare(status.getMergedIntoLabel(), p.getSurvivorLabel()) < 0;
                    sendToProfile(oursStronger ? p.getSurvivorId() : survivor, oursStronger
                            ? new MergeProposal(survivor, status.getMergedIntoLabel(), p.getMessageId())
                            : p);
                }
            } else {
                if (body instanceof ClaimGranted g) { // granted to us before the merge: the survivor owns it now
                    sendToIdentifier(g.getIdentifier(), new RelabelIdentifier(survivor, status.getMergedIntoLabel()));
                }
                sendToProfile(survivor, body);
            }
        }

        private void replayWaiting() throws Exception {
            List<ProfileCommand> waiting = new ArrayList<>(status.getWaiting());
            status.getWaiting().clear();
            for (ProfileCommand c : waiting) {
                handle(c);
            }
        }

        // ---- GDPR erasure

        /**
         * Erases this profile id: a profile, a pointer left by a merge, or nothing yet (then only the marker). What it
         * knows is erased in turn: its identifiers' nodes (and their hashes suppressed), the profiles it absorbed or
         * was absorbed into, and the ids its identifiers would anchor (so nothing in flight starts her anew there).
         */
        private void erase(EraseProfile e) throws Exception {
            boolean known = profile != null || status.getMergedInto() != null;
            Set<Identifier> own = new LinkedHashSet<>();
            Set<String> next = new TreeSet<>();
            if (profile != null) {
                own.addAll(profile.getIdentifiers().values());
                next.addAll(profile.getAbsorbed());
            }
            status.getPendingClaims().keySet().forEach(k -> own.add(AfterErasure.identifierOfKey(k)));
            own.forEach(x -> next.add(ProfileId.of(x)));
            if (status.getMergedInto() != null) {
                next.add(status.getMergedInto());
            }
            next.remove(id);
            Set<Identifier> all = new LinkedHashSet<>(own);
            all.addAll(e.getIdentifiers());
            SegmentState s = memberships();
            if (known) {
                List<SegmentChange> exits = Memberships.exitAll(id, s, active, e.getRequestedAt(),
                        Memberships.Trigger.ERASED, Map.of("requestId", e.getRequestId()));
                exits.forEach(c -> ctx.output(SEGMENT_CHANGES, counted(c)));
                ctx.output(ACTIVATION, ActivationInputs.erased(id, all, exits, e.getRequestedAt(), e.getRequestId()));
                out.collect(new ProfileUpdate(id, null, null, Map.of()));
                erased.inc();
            }
            for (Identifier x : own) {
                sendToIdentifier(x, new ForgetIdentifier(id, true));
            }
            if (!own.isEmpty()) {
                ctx.output(FEEDBACK, Commands.feedback(suppressions.add(e.getRequestId(), e.getRequestedAt(), own)));
            }
            for (String other : next) {
                sendToProfile(other, new EraseProfile(e.getRequestId(), e.getRequestedAt(), new ArrayList<>(all)));
            }
            if (status.getExpiresAt() != 0) {
                ctx.timerService().deleteProcessingTimeTimer(status.getExpiresAt());
            }
            if (s.getTimerAt() != 0) {
                ctx.timerService().deleteEventTimeTimer(s.getTimerAt());
            }
            erasure = new ErasureMarker(e.getRequestId(), e.getRequestedAt(),
                    ctx.timerService().currentProcessingTime() + suppressions.erasureGraceMillis());
            profile = null;
            // what waited for this profile's offer is treated as arriving after the erasure (offers get an answer)
            ErasedOutputs after = new ErasedOutputs(ctx, erasure);
            for (ProfileCommand waiting : status.getWaiting()) {
                AfterErasure.handle(id, erasure, waiting.getBody(), after);
            }
        }

        // ---- expiry of anonymous-only profiles

        private void scheduleExpiry() {
            if (status.getExpiresAt() == 0 && anonymousOnly()) {
                long at = status.getLastTouched() + anonymousTtlMillis;
                status.setExpiresAt(at);
                ctx.timerService().registerProcessingTimeTimer(at);
            }
        }

        void expire(long now) throws Exception {
            status.setExpiresAt(0);
            if (profile == null || status.getMergedInto() != null || !anonymousOnly()) {
                return;
            }
            long due = status.getLastTouched() + anonymousTtlMillis;
            boolean busy = status.getOfferedTo() != null || !status.getPendingClaims().isEmpty()
                    || !status.getReserved().isEmpty();
            if (now < due || busy) {
                status.setExpiresAt(Math.max(due, now + 60_000));
                ctx.timerService().registerProcessingTimeTimer(status.getExpiresAt());
                return;
            }
            for (Identifier x : profile.getIdentifiers().values()) {
                sendToIdentifier(x, new ForgetIdentifier(id, false));
            }
            removed.inc();
            out.collect(new ProfileUpdate(id, null, null, Map.of()));
            exitAll(Memberships.Trigger.PROFILE_REMOVED, Map.of());
            profile = null;
            status.setLastTouched(0);
            profileChanged = true;
        }

        private boolean anonymousOnly() {
            for (Identifier x : profile.getIdentifiers().values()) {
                if (!rules.anonymous(x.getNamespace())) {
                    return false;
                }
            }
            return true;
        }

        // ---- segments

        /** Evaluated once, when the step saves: a step that applies several commands emits one set of changes. */
        private void evaluateSegments(Memberships.Trigger why, long at, Long receivedAt) {
            trigger = why;
            occurredAt = at;
            triggeredAt = receivedAt;
        }

        void windowLapsed(long timestamp) throws Exception {
            SegmentState s = memberships();
            if (s.getTimerAt() == timestamp) {
                s.setTimerAt(0);
            }
            if (profile != null && status.getMergedInto() == null) {
                profileChanged = true;
                evaluateSegments(Memberships.Trigger.WINDOW, timestamp, null);
            }
        }

        private void exitAll(Memberships.Trigger why, Map<String, String> detail) throws Exception {
            SegmentState s = memberships();
            long at = ProfileSegments.clock(profile, watermark());
            List<SegmentChange> changes = Memberships.exitAll(id, s, active, at, why, detail);
            changes.forEach(c -> ctx.output(SEGMENT_CHANGES, counted(c)));
            if (!changes.isEmpty()) {
                ctx.output(ACTIVATION, ActivationInputs.of(id, profile, s, active, changes, List.of(), at, null,
                        true));
            }
            schedule(s, 0);
            trigger = null;
        }

        private void runSegments() throws Exception {
            SegmentState s = memberships();
            ProfileSegments.Evaluation e = segments.evaluate(id, profile, s, active, active.segments(),
                    watermark(), occurredAt, trigger);
            e.changes().forEach(c -> ctx.output(SEGMENT_CHANGES, counted(c)));
            schedule(s, e.timer());
            if (!e.changes().isEmpty() || !ActivationInputs.consent(profile).equals(consentBefore)) {
                ctx.output(ACTIVATION, ActivationInputs.of(id, profile, s, active, e.changes(),
                        status.getPendingClaims().keySet(), occurredAt, triggeredAt, false));
            }
        }

        /** Keeps one event-time timer per profile: the earliest window that lapses. */
        private void schedule(SegmentState s, long at) {
            ProfileFunction.schedule(ctx.timerService(), s, at);
        }

        private SegmentState memberships() throws Exception {
            if (memberships == null) {
                memberships = segmentState.value();
                memberships = memberships != null ? memberships : ProfileSegments.emptyState();
            }
            return memberships;
        }

        private long watermark() {
            return ctx.timerService().currentWatermark();
        }

        // ---- helpers

        /** Identifiers held, claimed and reserved: what the identity rules must allow for. */
        private Map<String, Integer> committedCounts() {
            Map<String, Integer> counts = profile != null ? ProfileLogic.namespaceCounts(profile) : new HashMap<>();
            status.getPendingClaims().values().forEach(ns -> counts.merge(ns, 1, Integer::sum));
            status.getReserved().forEach((ns, n) -> counts.merge(ns, n, Integer::sum));
            return counts;
        }

        private Map<String, Integer> offeredCounts() {
            return committedCounts();
        }

        private List<String> userIds(CdpEvent event) {
            List<String> ids = new ArrayList<>(1);
            for (Identifier x : event.getIdentifiers()) {
                if (Namespaces.USER_ID.equals(x.getNamespace())) {
                    ids.add(x.getValue());
                }
            }
            return ids;
        }

        private void reject(String rule, String detail, String messageId, Identifier identifier) {
            rejectedByRule.computeIfAbsent(rule, r -> metrics.addGroup("rule", r).counter("rejectedLinks")).inc();
            ctx.output(REJECTED_LINKS, new LinkRejection(rule, detail, messageId, identifier, id));
        }

        private void sendToProfile(String profileId, Object body) {
            ctx.output(FEEDBACK, Commands.feedback(Commands.toProfile(profileId, body)));
        }

        private void sendToIdentifier(Identifier x, Object body) {
            ctx.output(FEEDBACK, Commands.feedback(Commands.toIdentifier(x, body)));
        }

        void save() throws Exception {
            if (erasure != null) {
                profileState.clear();
                statusState.clear();
                segmentState.clear();
                erasedState.update(erasure);
                ctx.timerService().registerProcessingTimeTimer(erasure.getUntil());
                return;
            }
            if (profileChanged) {
                if (profile == null) {
                    profileState.clear();
                } else {
                    if (trigger != null) {
                        runSegments();
                    }
                    profile.setVersion(profile.getVersion() + 1);
                    profileState.update(profile);
                    out.collect(new ProfileUpdate(id, profile, null,
                            ProfileSegments.computedTraits(profile, active, watermark())));
                }
            }
            statusState.update(status);
            if (memberships != null) {
                segmentState.update(memberships);
            }
        }
    }
}
