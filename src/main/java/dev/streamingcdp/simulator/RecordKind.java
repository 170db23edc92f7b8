package dev.streamingcdp.simulator;

/**
 * What the job should make of a simulated record: process it (valid), drop it as a repeat (duplicate), or send it to
 * the dead-letter topic with {@link #reason()} (malformed).
 *
 * @param eventType the Segment type of a valid or duplicate record; null for malformed ones
 * @param reason    the expected rejection of a malformed record; null otherwise
 */
public record RecordKind(Outcome outcome, String eventType, RejectCode reason) {

    public enum Outcome { VALID, DUPLICATE, MALFORMED }

    static RecordKind valid(String eventType) {
        return new RecordKind(Outcome.VALID, eventType, null);
    }

    static RecordKind duplicate(String eventType) {
        return new RecordKind(Outcome.DUPLICATE, eventType, null);
    }

    static RecordKind malformed(RejectCode reason) {
        return new RecordKind(Outcome.MALFORMED, null, reason);
    }

    /** valid-track, duplicate or malformed-bad_json: one label per counter in the progress lines. */
    public String label() {
        return switch (outcome) {
            case VALID -> "valid-" + eventType;
            case DUPLICATE -> "duplicate";
            case MALFORMED -> "malformed-" + reason.code();
        };
    }
}
