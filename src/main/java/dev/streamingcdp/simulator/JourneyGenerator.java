package dev.streamingcdp.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Valid events from many customers' journeys at once, interleaved as on a busy site. A customer is in at most one
 * journey at a time, so her events come in the order the journey tells them.
 */
final class JourneyGenerator {

    /** A valid event and whose it is. */
    record Step(Customer customer, ObjectNode event) {}

    private static final int MAX_CONCURRENT = 32;

    private record Session(int index, Customer customer, Deque<Supplier<ObjectNode>> steps) {}

    private final Random random;
    private final Population population;
    private final Journeys journeys;
    private final List<Session> sessions = new ArrayList<>();
    private final boolean[] busy;

    JourneyGenerator(Random random, Population population, Journeys journeys) {
        this.random = random;
        this.population = population;
        this.journeys = journeys;
        this.busy = new boolean[population.customers().size()];
        // Half the population at most, so that a free customer is quickly found for the next journey.
        int concurrent = Math.max(1, Math.min(MAX_CONCURRENT, busy.length / 2));
        for (int i = 0; i < concurrent; i++) {
            sessions.add(start());
        }
    }

    Step next() {
        int i = random.nextInt(sessions.size());
        Session session = sessions.get(i);
        ObjectNode event = session.steps().poll().get();
        if (session.steps().isEmpty()) {
            busy[session.index()] = false;
            sessions.set(i, start());
        }
        return new Step(session.customer(), event);
    }

    private Session start() {
        int index;
        do {
            index = random.nextInt(busy.length);
        } while (busy[index]);
        busy[index] = true;
        Customer customer = population.customers().get(index);
        return new Session(index, customer, journeys.plan(customer));
    }
}
