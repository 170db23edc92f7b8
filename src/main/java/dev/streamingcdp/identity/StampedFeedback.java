package dev.streamingcdp.identity;

import dev.streamingcdp.identity.avro.FeedbackMessage;

/**
 * A feedback message with its writer's stamp, between the stamping operator and the feedback sink and between the
 * feedback source and the phantom filter (never in state). The stamp travels in Kafka headers, so the message's own
 * encoding is unchanged. A Flink POJO: {@code writer} is null for a message a release before the stamps wrote.
 */
public class StampedFeedback {
    public String writer;
    public long epoch;
    public FeedbackMessage message;

    public StampedFeedback() {}

    public StampedFeedback(String writer, long epoch, FeedbackMessage message) {
        this.writer = writer;
        this.epoch = epoch;
        this.message = message;
    }
}
