package dev.streamingcdp.fault;

import dev.streamingcdp.model.ActivationRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One destination's topic replayed as its consumer would: per (profile, segment) the changes must be numbered 1, 2,
 * 3 ... and go ENTERED, EXITED, ENTERED ...; a number seen before is a repeat (a duplicate), a number skipped is a
 * lost change, anything else is a broken stream. What the replay ends with is the destination's membership.
 *
 * @param records  records read
 * @param repeats  records whose (profile, segment, sequence) came before with the same change
 * @param problems lost (skipped) numbers and broken streams, one readable line each
 * @param members  profile id -> the segments it is in after the replay
 */
record DestinationLog(int records, int repeats, List<String> problems, Map<String, Set<String>> members) {

    private static final String ENTERED = "segment.entered";
    private static final String EXITED = "segment.exited";

    /** {@code records} in topic order (one profile's records share a partition, so their order is kept). */
    static DestinationLog replay(List<ActivationRecord> records) {
        Map<String, List<String>> seen = new HashMap<>(); // profile|segment -> type of change 1, 2, ...
        int repeats = 0;
        List<String> problems = new ArrayList<>();
        for (ActivationRecord r : records) {
            String stream = r.getProfileId() + " " + r.getSegmentId();
            if (!ENTERED.equals(r.getType()) && !EXITED.equals(r.getType())) {
                problems.add(stream + ": unexpected " + r.getType());
                continue;
            }
            List<String> changes = seen.computeIfAbsent(stream, s -> new ArrayList<>());
            long next = changes.size() + 1;
            long sequence = r.getSequence();
            if (sequence < 1) {
                problems.add(stream + ": sequence " + sequence);
            } else if (sequence < next) {
                if (changes.get((int) sequence - 1).equals(r.getType())) {
                    repeats++;
                } else {
                    problems.add(stream + ": sequence " + sequence + " came as " + changes.get((int) sequence - 1)
                            + " and again as " + r.getType());
                }
            } else {
                if (sequence > next) {
                    problems.add(stream + ": lost sequence " + next + (sequence > next + 1 ? ".." + (sequence - 1)
                            : ""));
                    while (changes.size() < sequence - 1) {
                        changes.add("lost");
                    }
                }
                String before = changes.isEmpty() ? EXITED : changes.get(changes.size() - 1);
                if (before.equals(r.getType())) {
                    problems.add(stream + ": " + r.getType() + " twice in a row at sequence " + sequence);
                }
                changes.add(r.getType());
            }
        }
        Map<String, Set<String>> members = new TreeMap<>();
        seen.forEach((stream, changes) -> {
            if (ENTERED.equals(changes.get(changes.size() - 1))) {
                String[] ps = stream.split(" ", 2);
                members.computeIfAbsent(ps[0], p -> new TreeSet<>()).add(ps[1]);
            }
        });
        return new DestinationLog(records.size(), repeats, problems, members);
    }

    /** Memberships the oracle expects that the destination does not hold, one "profile segment" line each. */
    List<String> missing(Map<String, Set<String>> expected) {
        return difference(expected, members);
    }

    /** Memberships the destination holds that the oracle does not expect. */
    List<String> unexpected(Map<String, Set<String>> expected) {
        return difference(members, expected);
    }

    private static List<String> difference(Map<String, Set<String>> a, Map<String, Set<String>> b) {
        List<String> only = new ArrayList<>();
        a.forEach((profile, segments) -> segments.stream()
                .filter(s -> !b.getOrDefault(profile, Set.of()).contains(s))
                .forEach(s -> only.add(profile + " " + s)));
        return only;
    }
}
