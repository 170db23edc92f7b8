package dev.streamingcdp.simulator;

import java.util.concurrent.TimeUnit;

/**
 * Spreads sends evenly at a target rate. It says how long to wait instead of sleeping itself, so that the caller can
 * wait on something a stop request interrupts.
 */
public final class Pacer {

    /** Shorter waits are skipped: running up to 1 ms ahead is harmless, and sleeping per event caps high rates. */
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** After a stall (a slow broker) resume the rate instead of bursting to catch up more than this. */
    private static final long MAX_BACKLOG_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long intervalNanos;
    private long nextSlot;

    /** @param eventsPerSecond 0 for no limit */
    public Pacer(double eventsPerSecond, long nowNanos) {
        this.intervalNanos = eventsPerSecond > 0 ? Math.round(1e9 / eventsPerSecond) : 0;
        this.nextSlot = nowNanos;
    }

    /** Takes the next send slot; returns the nanoseconds to wait before sending, 0 to send at once. */
    public long claim(long nowNanos) {
        if (intervalNanos == 0) {
            return 0;
        }
        if (nowNanos - nextSlot > MAX_BACKLOG_NANOS) {
            nextSlot = nowNanos - MAX_BACKLOG_NANOS;
        }
        long wait = nextSlot - nowNanos;
        nextSlot += intervalNanos;
        return wait >= MIN_WAIT_NANOS ? wait : 0;
    }
}
