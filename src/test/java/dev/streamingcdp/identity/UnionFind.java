package dev.streamingcdp.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The oracle of the identity tests: a plain union-find over identifier keys ("namespace:value"). It is deliberately
 * naive and shares nothing with the job (no state, no feedback loop, no ordering), so the job can be judged by it:
 * "all identifiers carried by one event are linked" is exactly {@link #unionAll} per event.
 */
public final class UnionFind {

    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, Integer> size = new HashMap<>();

    /** Adds {@code key} as its own set if it is new. */
    public void add(String key) {
        if (parent.putIfAbsent(key, key) == null) {
            size.put(key, 1);
        }
    }

    public boolean contains(String key) {
        return parent.containsKey(key);
    }

    /** The representative of {@code key}'s set; {@code key} must have been added. */
    public String find(String key) {
        String root = parent.get(key);
        if (root == null) {
            throw new IllegalArgumentException("unknown identifier " + key);
        }
        String k = key;
        while (!root.equals(k)) { // path halving: keeps finds cheap without recursion
            String grand = parent.get(root);
            parent.put(k, grand);
            k = grand;
            root = parent.get(k);
        }
        return root;
    }

    /** Links the sets of {@code a} and {@code b} (adding them if new); true when two different sets were joined. */
    public boolean union(String a, String b) {
        add(a);
        add(b);
        String ra = find(a);
        String rb = find(b);
        if (ra.equals(rb)) {
            return false;
        }
        if (size.get(ra) < size.get(rb)) { // union by size
            String t = ra;
            ra = rb;
            rb = t;
        }
        parent.put(rb, ra);
        size.put(ra, size.get(ra) + size.remove(rb));
        return true;
    }

    /** Links all of {@code keys} (one event's identifiers); returns how many sets were joined. */
    public int unionAll(Collection<String> keys) {
        int joined = 0;
        String first = null;
        for (String k : keys) {
            add(k);
            if (first == null) {
                first = k;
            } else if (union(first, k)) {
                joined++;
            }
        }
        return joined;
    }

    public boolean connected(String a, String b) {
        return find(a).equals(find(b));
    }

    /** How many identifiers were added. */
    public int size() {
        return parent.size();
    }

    /** The connected components, each as the set of its identifier keys. */
    public List<Set<String>> components() {
        Map<String, Set<String>> byRoot = new HashMap<>();
        for (String k : parent.keySet()) {
            byRoot.computeIfAbsent(find(k), r -> new LinkedHashSet<>()).add(k);
        }
        return new ArrayList<>(byRoot.values());
    }
}
