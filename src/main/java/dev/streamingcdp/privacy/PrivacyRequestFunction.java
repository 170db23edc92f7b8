package dev.streamingcdp.privacy;

import dev.streamingcdp.identity.Commands;
import dev.streamingcdp.identity.avro.EraseIdentifier;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.ingest.DeadLetters;
import dev.streamingcdp.ingest.EventNormalizer;
import dev.streamingcdp.ingest.RejectReason;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.privacy.avro.PrivacyRecord;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Checks each privacy request and turns it into a change of the suppression list (the main output, broadcast to the
 * suppression filter): SUPPRESS adds the identifier's hash, UNSUPPRESS removes it, ERASE adds it and also sends
 * {@link EraseIdentifier} to the identity operator ({@link #ERASURES}), which finds her profile. A request that does
 * not parse or normalise goes to the DLQ as {@code bad_request}.
 */
public class PrivacyRequestFunction extends ProcessFunction<PrivacyRecord, SuppressionUpdate> {

    public static final OutputTag<IdentityCommand> ERASURES =
            new OutputTag<>("privacy-erasures", new AvroTypeInfo<>(IdentityCommand.class));

    private final EventNormalizer normalizer;
    private final Suppressions suppressions;
    private transient Map<PrivacyRequest.Type, Counter> requests;

    public PrivacyRequestFunction(EventNormalizer normalizer, Suppressions suppressions) {
        this.normalizer = normalizer;
        this.suppressions = suppressions;
    }

    @Override
    public void open(OpenContext openContext) {
        requests = new EnumMap<>(PrivacyRequest.Type.class);
        for (PrivacyRequest.Type t : PrivacyRequest.Type.values()) {
            requests.put(t, getRuntimeContext().getMetricGroup().addGroup("privacy")
                    .addGroup("type", t.name().toLowerCase(Locale.ROOT)).counter("requests"));
        }
    }

    @Override
    public void processElement(PrivacyRecord r, Context ctx, Collector<SuppressionUpdate> out) {
        PrivacyRequest request;
        try {
            request = PrivacyRequest.parse(r.getPayload(), normalizer);
        } catch (PrivacyRequest.Invalid e) {
            ctx.output(DeadLetters.TAG, new DeadLetter(RejectReason.BAD_REQUEST.code(), e.getMessage(), r.getSource(),
                    r.getPayload() != null ? r.getPayload() : ByteBuffer.allocate(0)));
            return;
        }
        requests.get(request.type()).inc();
        List<dev.streamingcdp.model.Identifier> identifier = List.of(request.identifier());
        switch (request.type()) {
            case SUPPRESS -> out.collect(suppressions.add(request.requestId(), r.getTimestamp(), identifier));
            case UNSUPPRESS -> out.collect(suppressions.remove(request.requestId(), r.getTimestamp(), identifier));
            case ERASE -> {
                out.collect(suppressions.add(request.requestId(), r.getTimestamp(), identifier));
                ctx.output(ERASURES, Commands.toIdentifier(request.identifier(),
                        new EraseIdentifier(request.requestId(), r.getTimestamp())));
            }
        }
    }
}
