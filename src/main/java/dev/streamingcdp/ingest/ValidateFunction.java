package dev.streamingcdp.ingest;

import dev.streamingcdp.ingest.avro.IngestRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Passes on decoded events that follow the spec; decoding failures and rule breaks go to the dead-letter output. */
public class ValidateFunction extends ProcessFunction<IngestRecord, IngestRecord> {

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<IngestRecord> out) {
        if (record.getRejection() != null) {
            ctx.output(DeadLetters.TAG,
                    DeadLetters.of(record, record.getRejection().getReason(), record.getRejection().getDetail()));
            return;
        }
        try {
            EventValidator.validate(record.getEvent());
            out.collect(record);
        } catch (RejectException e) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(record, e));
        }
    }
}
