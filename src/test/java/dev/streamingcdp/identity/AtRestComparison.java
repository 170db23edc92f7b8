package dev.streamingcdp.identity;

import dev.streamingcdp.identity.IdentityScenario.ExpectedProfile;
import dev.streamingcdp.identity.ProfileTopicView.Profile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares the profiles at rest with the oracle's components, one kind of difference per list, each difference a
 * readable line; all lists empty means the profiles are exactly the components, with their ids and event counts.
 */
record AtRestComparison(
        List<String> sharedIdentifiers,
        List<String> wrongComponents,
        List<String> wrongIds,
        List<String> wrongCounts) {

    private static final int SHOWN = 5;

    boolean equal() {
        return sharedIdentifiers.isEmpty() && wrongComponents.isEmpty() && wrongIds.isEmpty() && wrongCounts.isEmpty();
    }

    static AtRestComparison of(Map<String, ExpectedProfile> expected, Map<String, Profile> actual) {
        Map<Set<String>, ExpectedProfile> bySet = new HashMap<>();
        Map<String, String> expectedOf = new HashMap<>();
        expected.values().forEach(e -> {
            bySet.put(e.identifiers(), e);
            e.identifiers().forEach(k -> expectedOf.put(k, e.profileId()));
        });
        Map<String, Set<String>> holders = new TreeMap<>();
        actual.values().forEach(p -> p.identifiers()
                .forEach(k -> holders.computeIfAbsent(k, x -> new TreeSet<>()).add(p.profileId())));

        List<String> shared = new ArrayList<>();
        holders.forEach((k, profiles) -> {
            if (profiles.size() > 1) {
                shared.add(k + " is in profiles " + profiles);
            }
        });
        List<String> components = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        Map<String, String> matched = new HashMap<>();
        for (Profile p : new TreeMap<>(actual).values()) {
            ExpectedProfile e = bySet.get(p.identifiers());
            if (e == null) {
                components.add("profile " + p.profileId() + " holds " + p.identifiers().size()
                        + " identifiers that are not one component: " + parts(p.identifiers(), expected, expectedOf));
                continue;
            }
            String twin = matched.putIfAbsent(e.profileId(), p.profileId());
            if (twin != null) {
                components.add("profiles " + twin + " and " + p.profileId() + " both hold component "
                        + e.profileId());
            }
            if (!p.profileId().equals(e.profileId())) {
                ids.add("profile " + p.profileId() + " should be " + e.profileId() + " (strongest identifier "
                        + e.identifiers().stream().min(IdentityScenario.STRENGTH).orElseThrow() + ")");
            }
            if (p.events() != e.events()) {
                counts.add("profile " + p.profileId() + " counts " + p.events() + " events, its component had "
                        + e.events());
            }
        }
        for (ExpectedProfile e : new TreeMap<>(expected).values()) {
            if (!matched.containsKey(e.profileId())) {
                Set<String> in = new TreeSet<>();
                int nowhere = 0;
                for (String k : e.identifiers()) {
                    Set<String> h = holders.get(k);
                    if (h == null) {
                        nowhere++;
                    } else {
                        in.addAll(h);
                    }
                }
                String where = in.isEmpty() ? "none of its identifiers is in a profile"
                        : "its identifiers are in profiles " + in + (nowhere > 0 ? ", " + nowhere + " in none" : "");
                components.add("component " + e.profileId() + " (" + e.identifiers().size() + " identifiers, "
                        + e.events() + " events, e.g. " + sample(e.identifiers()) + ") is not one profile: " + where);
            }
        }
        return new AtRestComparison(shared, components, ids, counts);
    }

    /** Which components a wrong profile's identifiers come from: "p-1 (3 of 7), unknown [x:y]". */
    private static String parts(Set<String> identifiers, Map<String, ExpectedProfile> expected,
            Map<String, String> expectedOf) {
        Map<String, Integer> from = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (String k : identifiers) {
            String e = expectedOf.get(k);
            if (e == null) {
                unknown.add(k);
            } else {
                from.merge(e, 1, Integer::sum);
            }
        }
        String s = from.entrySet().stream()
                .map(x -> x.getKey() + " (" + x.getValue() + " of " + expected.get(x.getKey()).identifiers().size()
                        + ")")
                .collect(Collectors.joining(", ", "parts of components [", "]"));
        return unknown.isEmpty() ? s : s + ", unknown " + sample(unknown);
    }

    private static String sample(Collection<String> keys) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(keys));
        return sorted.size() <= SHOWN ? sorted.toString()
                : sorted.subList(0, SHOWN) + " and " + (sorted.size() - SHOWN) + " more";
    }

    /** Lines for a failure message: the first few, then how many more. */
    static String firstLines(List<String> lines, int n) {
        String head = String.join("\n  ", lines.subList(0, Math.min(n, lines.size())));
        return "\n  " + head + (lines.size() > n ? "\n  ... and " + (lines.size() - n) + " more" : "");
    }
}
