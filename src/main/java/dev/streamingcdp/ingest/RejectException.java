package dev.streamingcdp.ingest;

/** Thrown by the decoding and checking steps; the operator that catches it sends the record to the dead-letter topic. */
public class RejectException extends Exception {

    private final RejectReason reason;

    public RejectException(RejectReason reason, String detail) {
        super(detail, null, false, false); // no stack trace: this is data, not a bug
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
