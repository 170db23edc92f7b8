package dev.streamingcdp.watch;

/** At most {@code perSecond} lines per one-second window; the lines held back are counted, to be summarised. */
final class LineThrottle {

    private static final long WINDOW_MILLIS = 1000;

    private final int perSecond;
    private long windowStart;
    private int shown;
    private long held;

    LineThrottle(int perSecond, long nowMillis) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("lines per second must be at least 1, was " + perSecond);
        }
        this.perSecond = perSecond;
        this.windowStart = nowMillis;
    }

    /** True if a line may be printed now; otherwise it is counted as held back. */
    boolean admit(long nowMillis) {
        if (nowMillis - windowStart >= WINDOW_MILLIS) {
            windowStart = nowMillis;
            shown = 0;
        }
        if (shown < perSecond) {
            shown++;
            return true;
        }
        held++;
        return false;
    }

    /** The lines held back once their window has ended (each reported once); 0 while it is still open. */
    long takeHeld(long nowMillis) {
        return nowMillis - windowStart >= WINDOW_MILLIS ? flush() : 0;
    }

    /** The lines held back so far, window ended or not (when the watch stops). */
    long flush() {
        long n = held;
        held = 0;
        return n;
    }
}
