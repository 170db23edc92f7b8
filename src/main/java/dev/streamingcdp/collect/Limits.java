package dev.streamingcdp.collect;

/** Segment's tracking API limits, so that what Segment accepts is accepted here too and nothing bigger. */
public final class Limits {

    /** One event, as JSON. */
    public static final int MAX_EVENT_BYTES = 32 * 1024;
    /** One batch request body, after decompression. */
    public static final int MAX_BATCH_BYTES = 500 * 1024;
    public static final int MAX_BATCH_EVENTS = 2_500;

    private Limits() {}
}
