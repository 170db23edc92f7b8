package dev.streamingcdp.simulator;

import java.text.Normalizer;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The simulated customers. It depends only on the seed and the size, so a run with other traffic options still
 * talks about the same people.
 */
public final class Population {

    private static final List<String> FIRST_NAMES = List.of("Jane", "John", "Maria", "José", "Zoë", "Lukas",
            "Chloé", "Oliver", "Amélie", "Jürgen", "Sophie", "Emma", "Noah", "Léa", "Hannah", "Liam", "Olivia",
            "Mateo", "Ingrid", "Aaron");
    private static final List<String> LAST_NAMES = List.of("Doe", "Smith", "Müller", "Dubois", "García", "Brown",
            "Schmidt", "Lefèvre", "Taylor", "Martin", "Weber", "O'Brien", "Jones", "Bernard", "Fischer", "Wilson");
    private static final List<String> DOMAINS = List.of("example.com", "example.org", "example.net");
    /** Weighted by repetition: more US customers, as in a US-based shop with European buyers. */
    private static final List<String> COUNTRIES = List.of("US", "US", "US", "GB", "GB", "DE", "DE", "FR", "FR");
    private static final List<ZoneId> US_ZONES = List.of(ZoneId.of("America/New_York"), ZoneId.of("America/Chicago"),
            ZoneId.of("America/Los_Angeles"));
    private static final double LOYALTY_SHARE = 0.6;
    private static final double APP_SHARE = 0.5;

    private final List<Customer> customers;

    private Population(List<Customer> customers) {
        this.customers = List.copyOf(customers);
    }

    public static Population generate(long seed, int size) {
        Random random = new Random(seed);
        Set<String> phones = new HashSet<>();
        List<Customer> customers = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            customers.add(customer(i, random, phones));
        }
        return new Population(customers);
    }

    private static Customer customer(int index, Random random, Set<String> phones) {
        String first = Ids.pick(random, FIRST_NAMES);
        String last = Ids.pick(random, LAST_NAMES);
        String country = Ids.pick(random, COUNTRIES);
        // The index makes e-mails unique: a shared address would merge two people, which is a story of its own.
        String email = ascii(first) + "." + ascii(last) + index + "@" + Ids.pick(random, DOMAINS);
        String loyaltyId = Ids.chance(random, LOYALTY_SHARE) ? String.format("LOY-%08d", 10_000_000 + index) : null;
        List<String> cookies = uuids(random, 1 + random.nextInt(3));
        List<String> devices = Ids.chance(random, APP_SHARE) ? uuids(random, 1 + random.nextInt(2)) : List.of();
        return new Customer(String.format("cust-%06d", index), first, last, email,
                Phones.randomMobile(country, random, phones), country, zone(country, random), loyaltyId, cookies,
                devices, random.nextBoolean() ? "ios" : "android", String.format("hh-%05d", index / 3));
    }

    private static List<String> uuids(Random random, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(Ids.uuid(random));
        }
        return ids;
    }

    private static ZoneId zone(String country, Random random) {
        return switch (country) {
            case "US" -> Ids.pick(random, US_ZONES);
            case "GB" -> ZoneId.of("Europe/London");
            case "DE" -> ZoneId.of("Europe/Berlin");
            default -> ZoneId.of("Europe/Paris");
        };
    }

    /** Mailbox-safe: José O'Brien becomes jose.obrien. */
    private static String ascii(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT);
    }

    public List<Customer> customers() {
        return customers;
    }

    Customer random(Random random) {
        return customers.get(random.nextInt(customers.size()));
    }
}
