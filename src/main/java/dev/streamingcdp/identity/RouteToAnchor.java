package dev.streamingcdp.identity;

import dev.streamingcdp.identity.avro.EventForAnchor;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.LinkRejection;
import dev.streamingcdp.profile.ProfileOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops identifiers the rules block (each reported), then sends the event to its strongest identifier, which
 * decides the profile. Ingest has already dead-lettered events whose identifiers are all blocked
 * (EventNormalizer), so one is always left.
 */
public class RouteToAnchor extends ProcessFunction<CdpEvent, IdentityCommand> {

    private final IdentityRules rules;
    private transient Counter blocked;

    public RouteToAnchor(IdentityRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        blocked = getRuntimeContext().getMetricGroup().addGroup("profile").addGroup("rule", "blocked")
                .counter("rejectedLinks");
    }

    @Override
    public void processElement(CdpEvent event, Context ctx, Collector<IdentityCommand> out) {
        CdpEvent routed = withoutBlocked(event, ctx);
        out.collect(Commands.toIdentifier(rules.strongest(routed.getIdentifiers()), new EventForAnchor(routed)));
    }

    /** A copy only when something is blocked: the input object is shared with other consumers (object reuse). */
    private CdpEvent withoutBlocked(CdpEvent event, Context ctx) {
        List<Identifier> kept = null;
        for (int i = 0; i < event.getIdentifiers().size(); i++) {
            Identifier x = event.getIdentifiers().get(i);
            Optional<String> reason = rules.blocked(x);
            if (reason.isPresent()) {
                if (kept == null) {
                    kept = new ArrayList<>(event.getIdentifiers().subList(0, i));
                }
                blocked.inc();
                ctx.output(ProfileOperator.REJECTED_LINKS,
                        new LinkRejection("blocked", reason.get(), event.getMessageId(), x, null));
            } else if (kept != null) {
                kept.add(x);
            }
        }
        return kept == null ? event : CdpEvent.newBuilder(event).setIdentifiers(kept).build();
    }
}
