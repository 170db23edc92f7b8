package dev.streamingcdp.collect;

import java.util.concurrent.Semaphore;

/**
 * A bound on events received and not yet acknowledged by Kafka: when the broker is slow, requests past the budget get
 * 429 at once instead of piling up in memory and threads.
 */
public final class InFlightBudget {

    private final int capacity;
    private final Semaphore permits;

    public InFlightBudget(int capacity) {
        if (capacity < Limits.MAX_BATCH_EVENTS) {
            throw new IllegalArgumentException("the in-flight budget must hold one full batch ("
                    + Limits.MAX_BATCH_EVENTS + " events), was " + capacity);
        }
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    public boolean tryAcquire(int events) {
        return permits.tryAcquire(events);
    }

    public void release(int events) {
        permits.release(events);
    }

    public int inFlight() {
        return capacity - permits.availablePermits();
    }
}
