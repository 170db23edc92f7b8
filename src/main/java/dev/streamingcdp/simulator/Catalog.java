package dev.streamingcdp.simulator;

import java.util.List;
import java.util.Random;

/** The shop's products: categories such as running-shoes are what the demo segments select on. */
final class Catalog {

    record Product(String id, String name, String category, double price) {}

    private static final List<Product> PRODUCTS = List.of(
            new Product("sku-1001", "Road Runner 3", "running-shoes", 129.95),
            new Product("sku-1002", "Tempo Flyer", "running-shoes", 149.00),
            new Product("sku-1003", "Cloud Jogger", "running-shoes", 89.50),
            new Product("sku-2001", "Ridge Trail GTX", "trail-shoes", 159.00),
            new Product("sku-2002", "Mud Crusher", "trail-shoes", 119.99),
            new Product("sku-3001", "Storm Shell Jacket", "jackets", 199.00),
            new Product("sku-3002", "Featherweight Vest", "jackets", 79.95),
            new Product("sku-4001", "Merino Crew Socks", "socks", 14.99),
            new Product("sku-4002", "Compression Socks", "socks", 24.50),
            new Product("sku-5001", "Pace GPS Watch", "watches", 299.00),
            new Product("sku-6001", "Hydration Pack 5L", "bags", 64.00),
            new Product("sku-6002", "Waist Belt", "bags", 29.95));

    private Catalog() {}

    static Product random(Random random) {
        return Ids.pick(random, PRODUCTS);
    }
}
