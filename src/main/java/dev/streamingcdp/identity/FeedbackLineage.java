package dev.streamingcdp.identity;

import java.util.ArrayList;
import java.util.List;

/**
 * The executions whose feedback the job's state has seen, oldest first, each with the checkpoint it was restored
 * from. The feedback topic is written at-least-once and read at once, so after a restore from checkpoint R it still
 * holds what the failed execution wrote after passing R: messages whose causes the restored state no longer holds
 * (phantoms). A message stamped by execution {@code e} at epoch {@code n} (the last checkpoint {@code e} passed before
 * writing it) is part of the restored history only if {@code e} is in the lineage and, unless {@code e} is the current
 * execution, {@code n} is below the checkpoint its successor was restored from.
 */
public final class FeedbackLineage {

    /** {@code restoredFrom} is 0 for an execution that started without state. */
    public record Execution(String id, long restoredFrom) {

        String encode() {
            return restoredFrom + " " + id;
        }

        static Execution decode(String entry) {
            int space = entry.indexOf(' ');
            return new Execution(entry.substring(space + 1), Long.parseLong(entry.substring(0, space)));
        }
    }

    private final List<Execution> executions;

    private FeedbackLineage(List<Execution> executions) {
        this.executions = executions;
    }

    /**
     * The restored lineage (any number of copies of it, as union list state gives each subtask) continued by the
     * execution starting now.
     */
    public static FeedbackLineage restore(Iterable<String> entries, String current, long restoredFrom) {
        List<Execution> chain = new ArrayList<>();
        for (String entry : entries) {
            Execution e = Execution.decode(entry);
            if (!chain.contains(e)) {
                chain.add(e);
            }
        }
        chain.sort((a, b) -> Long.compare(a.restoredFrom(), b.restoredFrom()));
        for (int i = 1; i < chain.size(); i++) {
            if (chain.get(i).restoredFrom() == chain.get(i - 1).restoredFrom()) {
                throw new IllegalStateException("two executions in the feedback lineage restored from checkpoint "
                        + chain.get(i).restoredFrom() + ": " + chain);
            }
        }
        if (!chain.isEmpty() && chain.get(chain.size() - 1).restoredFrom() >= restoredFrom) {
            throw new IllegalStateException("restored from checkpoint " + restoredFrom
                    + " but the lineage already holds a later restore: " + chain);
        }
        if (chain.stream().anyMatch(e -> e.id().equals(current))) {
            throw new IllegalStateException("execution " + current + " is already in the feedback lineage " + chain);
        }
        chain.add(new Execution(current, restoredFrom));
        return new FeedbackLineage(List.copyOf(chain));
    }

    /**
     * Whether a message belongs to the restored history. Unstamped messages ({@code writer} null) were written by a
     * release before the stamps, transactionally and read committed, so they are admitted as that release did.
     */
    public boolean admits(String writer, long epoch) {
        if (writer == null) {
            return true;
        }
        for (int i = 0; i < executions.size(); i++) {
            if (executions.get(i).id().equals(writer)) {
                return i == executions.size() - 1 || epoch < executions.get(i + 1).restoredFrom();
            }
        }
        return false;
    }

    public List<String> entries() {
        return executions.stream().map(Execution::encode).toList();
    }

    @Override
    public String toString() {
        return executions.toString();
    }
}
