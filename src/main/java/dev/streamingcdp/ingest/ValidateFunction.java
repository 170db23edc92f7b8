package dev.streamingcdp.ingest;

import dev.streamingcdp.ingest.avro.IngestRecord;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes on decoded events that follow the spec; decoding failures and rule breaks go to the dead-letter output. So
 * does an event whose timestamp is too far ahead of its Kafka record's (see {@link EventTimeAssigner}).
 */
public class ValidateFunction extends ProcessFunction<IngestRecord, IngestRecord> {

    private final Duration maxAhead;

    public ValidateFunction(Duration maxAhead) {
        this.maxAhead = maxAhead;
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<IngestRecord> out) {
        if (record.getRejection() != null) {
            ctx.output(DeadLetters.TAG,
                    DeadLetters.of(record, record.getRejection().getReason(), record.getRejection().getDetail()));
            return;
        }
        try {
            EventValidator.validate(record.getEvent());
            checkClock(record);
            out.collect(record);
        } catch (RejectException e) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(record, e));
        }
    }

    private void checkClock(IngestRecord record) throws RejectException {
        long written = record.getSource().getReceivedAt();
        Instant eventTime = Timestamps.parse(record.getEvent().getTimestamp());
        if (Timestamps.tooFarAhead(eventTime.toEpochMilli(), written, maxAhead.toMillis())) {
            throw new RejectException(RejectReason.BAD_TIMESTAMP, "'" + record.getEvent().getTimestamp()
                    + "' is more than " + maxAhead + " ahead of the time its Kafka record was written ("
                    + Instant.ofEpochMilli(written) + "): a wrong client clock would move event time ahead");
        }
    }
}
