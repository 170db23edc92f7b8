package dev.streamingcdp.identity;

import static dev.streamingcdp.model.Namespaces.ANONYMOUS_ID;
import static dev.streamingcdp.model.Namespaces.DEVICE_ID;
import static dev.streamingcdp.model.Namespaces.EMAIL;
import static dev.streamingcdp.model.Namespaces.PHONE;
import static dev.streamingcdp.model.Namespaces.USER_ID;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A seeded random identity graph as the events that carry it, and what the identity stage must make of them.
 *
 * <p>The graph has many components of varied size and shape: singletons, small trees, chains that are connected only
 * through a sequence of two-identifier events (so, in a shuffled order, merges cascade), stars around one user id or
 * e-mail, and a few big components of 50+. Each event carries 1–4 identifiers of one component. The expectation does
 * not trust the generator: it comes from {@link UnionFind} over the events' identifier sets.
 */
final class IdentityScenario {

    static final int DEFAULT_IDENTIFIERS = 2_000;
    static final int DEFAULT_EVENTS = 1_500;
    /** Events fall at random within this day (UTC). */
    static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");

    /** Strongest first: a component's profile id derives from its strongest identifier. */
    static final List<String> PRIORITY = List.of(USER_ID, EMAIL, PHONE, DEVICE_ID, ANONYMOUS_ID);
    /** Stronger sorts first: namespace priority, then the smaller value (String.compareTo). */
    static final Comparator<String> STRENGTH = Comparator
            .comparingInt((String key) -> priority(ScenarioEvent.namespace(key)))
            .thenComparing(ScenarioEvent::value);

    /** One profile the job must hold at rest. */
    record ExpectedProfile(String profileId, Set<String> identifiers, long events) {}

    private final long seed;
    private final List<Set<String>> generated;
    private final List<ScenarioEvent> events;
    private final Map<String, ExpectedProfile> expected;

    private IdentityScenario(long seed, List<Set<String>> generated, List<ScenarioEvent> events) {
        this.seed = seed;
        this.generated = List.copyOf(generated);
        this.events = List.copyOf(events);
        this.expected = oracle(this.events);
    }

    static IdentityScenario generate(long seed) {
        return generate(seed, DEFAULT_IDENTIFIERS, DEFAULT_EVENTS);
    }

    /**
     * @param identifiers exactly this many distinct identifiers
     * @param events about this many events: more when the components need more to be connected
     */
    static IdentityScenario generate(long seed, int identifiers, int events) {
        if (identifiers < 1) {
            throw new IllegalArgumentException("a scenario needs at least one identifier");
        }
        return new Generator(seed).run(identifiers, events);
    }

    long seed() {
        return seed;
    }

    /** The events in the scenario's own (seeded, shuffled) order. */
    List<ScenarioEvent> events() {
        return events;
    }

    /** The same events in another order: each test case feeds the job its own order. */
    List<ScenarioEvent> eventsInOrder(long orderSeed) {
        List<ScenarioEvent> order = new ArrayList<>(events);
        Collections.shuffle(order, new Random(orderSeed));
        return order;
    }

    /** The components as the generator built them; the oracle must find exactly these. */
    List<Set<String>> generatedComponents() {
        return generated;
    }

    /** The oracle's expectation, by profile id. */
    Map<String, ExpectedProfile> expectedProfiles() {
        return expected;
    }

    int identifierCount() {
        return generated.stream().mapToInt(Set::size).sum();
    }

    /** "1500 events, 2000 identifiers, 231 components (80 singletons, largest 117)". */
    String describe() {
        long singletons = expected.values().stream().filter(p -> p.identifiers().size() == 1).count();
        int largest = expected.values().stream().mapToInt(p -> p.identifiers().size()).max().orElse(0);
        return events.size() + " events, " + identifierCount() + " identifiers, " + expected.size() + " components ("
                + singletons + " singletons, largest " + largest + ")";
    }

    /** "p-" + the first 24 hex digits of SHA-256 over "namespace:value" of the component's strongest identifier. */
    static String profileId(Collection<String> component) {
        String strongest = component.stream().min(STRENGTH).orElseThrow();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(strongest.getBytes(StandardCharsets.UTF_8));
            return "p-" + HexFormat.of().formatHex(hash).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How many profile merges the events imply when processed one by one in {@code order}: an event whose known
     * identifiers already sit in k different profiles joins them (k - 1 merges); new identifiers just join a
     * profile. A measure of the work an order causes, for the test's summary: parallel operators see other
     * interleavings, so the job's own number of merges may differ.
     */
    static int mergesImplied(List<ScenarioEvent> order) {
        UnionFind seen = new UnionFind();
        int merges = 0;
        for (ScenarioEvent e : order) {
            Set<String> profiles = new HashSet<>();
            for (String k : e.identifiers()) {
                if (seen.contains(k)) {
                    profiles.add(seen.find(k));
                }
            }
            merges += Math.max(0, profiles.size() - 1);
            seen.unionAll(e.identifiers());
        }
        return merges;
    }

    private static int priority(String namespace) {
        int p = PRIORITY.indexOf(namespace);
        if (p < 0) {
            throw new IllegalArgumentException("no priority for namespace " + namespace);
        }
        return p;
    }

    /** Components, event counts and ids from the events alone. */
    private static Map<String, ExpectedProfile> oracle(List<ScenarioEvent> events) {
        UnionFind links = new UnionFind();
        events.forEach(e -> links.unionAll(e.identifiers()));
        Map<String, Long> counts = new HashMap<>();
        events.forEach(e -> counts.merge(links.find(e.identifiers().get(0)), 1L, Long::sum));
        Map<String, ExpectedProfile> byId = new LinkedHashMap<>();
        for (Set<String> component : links.components()) {
            String id = profileId(component);
            long count = counts.getOrDefault(links.find(component.iterator().next()), 0L);
            if (byId.put(id, new ExpectedProfile(id, Set.copyOf(component), count)) != null) {
                throw new IllegalStateException("two components hash to profile id " + id);
            }
        }
        return Collections.unmodifiableMap(byId);
    }

    /** Builds the graph from one seeded Random; every choice goes through it, so a seed replays exactly. */
    private static final class Generator {

        // How often each namespace is drawn for a new identifier: cookies and devices dominate, as on a web shop.
        // A fixed iteration order (not Map.of, whose order varies between JVMs) keeps a seed's scenario the same.
        private static final Map<String, Integer> NAMESPACE_WEIGHTS = new LinkedHashMap<>();

        static {
            NAMESPACE_WEIGHTS.put(ANONYMOUS_ID, 35);
            NAMESPACE_WEIGHTS.put(DEVICE_ID, 15);
            NAMESPACE_WEIGHTS.put(EMAIL, 20);
            NAMESPACE_WEIGHTS.put(USER_ID, 20);
            NAMESPACE_WEIGHTS.put(PHONE, 10);
        }

        private static final List<String> DOMAINS =
                List.of("example.com", "example.org", "example.net", "mail.example.com");
        private static final List<String> AREA_CODES =
                List.of("212", "312", "415", "617", "206", "303", "512", "646", "718", "305");
        private static final List<String> CHANNELS = List.of("browser", "mobile", "email", "pos", "crm");

        private final long seed;
        private final Random random;
        private final Set<String> used = new HashSet<>();
        private final List<Set<String>> components = new ArrayList<>();
        /** The identifier sets of the events that connect the components (each a spanning structure). */
        private final List<List<String>> links = new ArrayList<>();

        Generator(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        IdentityScenario run(int identifiers, int eventTarget) {
            int remaining = identifiers;
            // a few big components, but only where they leave room for many others
            int bigs = identifiers < 200 ? 0 : Math.max(1, identifiers / 600);
            for (int b = 0; b < bigs; b++) {
                int n = Math.min(identifiers / 3, 50 + random.nextInt(71));
                tree(n);
                remaining -= n;
            }
            while (remaining > 0) {
                int roll = random.nextInt(100);
                int n;
                if (roll < 35) {
                    n = 1;
                } else if (roll < 65) {
                    n = 2 + random.nextInt(5);
                } else if (roll < 80) {
                    n = 3 + random.nextInt(23);
                } else if (roll < 90) {
                    n = 4 + random.nextInt(27);
                } else {
                    n = 7 + random.nextInt(24);
                }
                n = Math.min(n, remaining);
                if (n == 1) {
                    singleton();
                } else if (roll >= 65 && roll < 80) {
                    chain(n);
                } else if (roll >= 80 && roll < 90 && n >= 3) {
                    star(n);
                } else {
                    tree(n);
                }
                remaining -= n;
            }
            List<List<String>> sets = new ArrayList<>(links);
            // Further events re-use part of one linking event: more events per person, never a new link, so each
            // shape (a chain above all) stays as built.
            while (sets.size() < eventTarget) {
                List<String> link = new ArrayList<>(links.get(random.nextInt(links.size())));
                Collections.shuffle(link, random);
                sets.add(link.subList(0, 1 + random.nextInt(link.size())));
            }
            List<ScenarioEvent> events = new ArrayList<>();
            for (List<String> ids : sets) {
                events.add(event(events.size(), ids));
            }
            Collections.shuffle(events, random);
            return new IdentityScenario(seed, components, events);
        }

        private void singleton() {
            String id = newId(namespace(Set.of()));
            links.add(List.of(id));
            components.add(Set.of(id));
        }

        /** A random tree: each event joins 1–3 new identifiers to a member (often the newest: longer paths). */
        private void tree(int n) {
            List<String> members = new ArrayList<>(List.of(newId(namespace(Set.of()))));
            while (members.size() < n) {
                String anchor = random.nextInt(3) == 0 ? members.get(members.size() - 1)
                        : members.get(random.nextInt(members.size()));
                List<String> event = new ArrayList<>(List.of(anchor));
                int extra = Math.min(1 + random.nextInt(3), n - members.size());
                for (int i = 0; i < extra; i++) {
                    String id = newId(namespace(namespaces(event)));
                    event.add(id);
                    members.add(id);
                }
                links.add(event);
            }
            components.add(new LinkedHashSet<>(members));
        }

        /** x0 - x1 - ... - xn-1, each link its own event: one missing event splits the chain. */
        private void chain(int n) {
            List<String> members = new ArrayList<>(List.of(newId(namespace(Set.of()))));
            while (members.size() < n) {
                String previous = members.get(members.size() - 1);
                String next = newId(namespace(Set.of(ScenarioEvent.namespace(previous))));
                links.add(List.of(previous, next));
                members.add(next);
            }
            components.add(new LinkedHashSet<>(members));
        }

        /** A user id or e-mail seen with many cookies and devices, 1–3 of them per event. */
        private void star(int n) {
            String center = newId(random.nextBoolean() ? USER_ID : EMAIL);
            Set<String> members = new LinkedHashSet<>(List.of(center));
            List<String> event = null;
            int size = 0;
            while (members.size() < n) {
                String leaf = newId(namespace(Set.of(ScenarioEvent.namespace(center))));
                members.add(leaf);
                if (event == null || event.size() >= size
                        || namespaces(event).contains(ScenarioEvent.namespace(leaf))) {
                    if (event != null) {
                        links.add(event);
                    }
                    event = new ArrayList<>(List.of(center));
                    size = 2 + random.nextInt(3);
                }
                event.add(leaf);
            }
            links.add(event);
            components.add(members);
        }

        /** A Segment call for these identifiers: a type that can carry them, a time within the day, a channel. */
        private ScenarioEvent event(int index, List<String> ids) {
            Set<String> namespaces = namespaces(ids);
            boolean canAlias = namespaces.contains(USER_ID) && namespaces.contains(ANONYMOUS_ID);
            int roll = random.nextInt(100);
            String type = roll < 40 ? "track" : roll < 65 ? "page" : roll < 80 ? "identify" : roll < 88 ? "screen"
                    : roll < 92 ? "group" : canAlias ? "alias" : "track";
            Instant at = DAY.plusSeconds(random.nextInt(86_400));
            String channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
            return new ScenarioEvent("idr-" + Long.toHexString(seed) + "-" + index, type, at, channel, ids);
        }

        /** A weighted random namespace not in {@code taken} (so one event carries each namespace at most once). */
        private String namespace(Set<String> taken) {
            int total = 0;
            for (Map.Entry<String, Integer> w : NAMESPACE_WEIGHTS.entrySet()) {
                total += taken.contains(w.getKey()) ? 0 : w.getValue();
            }
            int roll = random.nextInt(total);
            for (Map.Entry<String, Integer> w : NAMESPACE_WEIGHTS.entrySet()) {
                if (!taken.contains(w.getKey())) {
                    roll -= w.getValue();
                    if (roll < 0) {
                        return w.getKey();
                    }
                }
            }
            throw new IllegalStateException("unreachable");
        }

        /** A new identifier, already in the normalised form the job keeps (lower-case e-mail, E.164 phone). */
        private String newId(String namespace) {
            while (true) {
                String value = switch (namespace) {
                    case USER_ID -> "cust-" + (100_000 + random.nextInt(900_000));
                    case EMAIL -> letters(5 + random.nextInt(6)) + "." + letters(3 + random.nextInt(5)) + "@"
                            + DOMAINS.get(random.nextInt(DOMAINS.size()));
                    case PHONE -> "+1" + AREA_CODES.get(random.nextInt(AREA_CODES.size())) + exchange()
                            + String.format(Locale.ROOT, "%04d", random.nextInt(10_000));
                    case DEVICE_ID -> uuid().toUpperCase(Locale.ROOT); // as iOS reports its vendor id
                    case ANONYMOUS_ID -> uuid(); // as analytics.js makes its anonymousId
                    default -> throw new IllegalArgumentException(namespace);
                };
                String key = ScenarioEvent.key(namespace, value);
                if (used.add(key)) {
                    return key;
                }
            }
        }

        /** A US exchange code: 2-9 first, never N11 or 555 (service and fictional numbers). */
        private String exchange() {
            while (true) {
                int x = 200 + random.nextInt(800);
                if (x % 100 != 11 && x != 555) {
                    return Integer.toString(x);
                }
            }
        }

        private String uuid() {
            return new UUID(random.nextLong(), random.nextLong()).toString();
        }

        private String letters(int n) {
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                s.append((char) ('a' + random.nextInt(26)));
            }
            return s.toString();
        }

        private static Set<String> namespaces(Collection<String> keys) {
            Set<String> namespaces = new HashSet<>();
            keys.forEach(k -> namespaces.add(ScenarioEvent.namespace(k)));
            return namespaces;
        }
    }
}
