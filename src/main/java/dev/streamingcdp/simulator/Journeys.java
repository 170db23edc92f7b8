package dev.streamingcdp.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.simulator.Catalog.Product;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The journeys a customer takes across channels, as planned steps. Choices (cookie, products, outcome) are made when
 * planning; each step builds its event only when it is sent, so it carries the send time.
 */
final class Journeys {

    private static final List<String> CAMPAIGNS = List.of("spring-sale", "new-arrivals", "win-back", "newsletter");

    private final Random random;
    private final EventFactory events;

    Journeys(Random random, EventFactory events) {
        this.random = random;
        this.events = events;
    }

    /** The next journey of {@code c}; never empty. Weights are percentages. */
    Deque<Supplier<ObjectNode>> plan(Customer c) {
        Deque<Supplier<ObjectNode>> steps = new ArrayDeque<>();
        int roll = random.nextInt(100);
        if (roll < 25) {
            browse(c, cookie(c), steps);
        } else if (roll < 50) {
            shopOnline(c, steps);
        } else if (roll < 65) {
            app(c, steps);
        } else if (roll < 75) {
            emailClick(c, steps);
        } else if (roll < 81) {
            callCentre(c, steps);
        } else if (roll < 89) {
            shopInStore(c, steps);
        } else if (roll < 95) {
            Sender web = Sender.web(c, cookie(c));
            steps.add(() -> events.consentUpdated(web));
        } else if (roll < 98) {
            aliasCookie(c, steps);
        } else {
            Sender web = Sender.web(c, cookie(c));
            steps.add(() -> events.group(web));
        }
        return steps;
    }

    /** Anonymous browsing: only the cookie is known. */
    private void browse(Customer c, String cookie, Deque<Supplier<ObjectNode>> steps) {
        Sender web = Sender.anonymousWeb(c, cookie);
        int pages = 1 + random.nextInt(4);
        for (int i = 0; i < pages; i++) {
            Product p = Catalog.random(random);
            steps.add(() -> events.page(web, p.name(), "/p/" + p.id(), ""));
            if (Ids.chance(random, 0.3)) {
                steps.add(() -> events.productViewed(web, p));
            }
        }
    }

    /** Browse, log in (which links the cookie), fill the cart; about half check out, the rest abandon the cart. */
    private void shopOnline(Customer c, Deque<Supplier<ObjectNode>> steps) {
        String cookie = cookie(c);
        if (random.nextBoolean()) {
            browse(c, cookie, steps);
        }
        Sender web = Sender.web(c, cookie);
        steps.add(() -> events.login(web));
        cart(web, steps, 0.55);
    }

    private void app(Customer c, Deque<Supplier<ObjectNode>> steps) {
        if (c.deviceIds().isEmpty()) {
            shopOnline(c, steps);
            return;
        }
        Sender app = Sender.app(c, Ids.pick(random, c.deviceIds()));
        steps.add(() -> events.screen(app, "Home"));
        Product p = Catalog.random(random);
        steps.add(() -> events.screen(app, "Product"));
        steps.add(() -> events.productViewed(app, p));
        if (random.nextBoolean()) {
            cart(app, steps, 0.4);
        }
    }

    /** Adds 1-3 products to the cart and completes the order with probability {@code checkout}. */
    private void cart(Sender s, Deque<Supplier<ObjectNode>> steps, double checkout) {
        List<Product> cart = products(1 + random.nextInt(3));
        cart.forEach(p -> steps.add(() -> events.productAdded(s, p)));
        if (Ids.chance(random, checkout)) {
            steps.add(() -> events.orderCompleted(s, cart));
        }
    }

    /** The e-mail platform reports a click by address only; the landing page then sees a cookie. */
    private void emailClick(Customer c, Deque<Supplier<ObjectNode>> steps) {
        String campaign = Ids.pick(random, CAMPAIGNS);
        steps.add(() -> events.emailLinkClicked(Sender.email(c), campaign));
        Sender web = Sender.anonymousWeb(c, cookie(c));
        steps.add(() -> events.page(web, "Home", "/", "?utm_source=email&utm_campaign=" + campaign));
    }

    /**
     * The demo story: she logged in on the web (cookie linked), calls the call centre where the agent records her
     * intent to cancel, and then visits the site again without logging in.
     */
    private void callCentre(Customer c, Deque<Supplier<ObjectNode>> steps) {
        String cookie = cookie(c);
        steps.add(() -> events.login(Sender.web(c, cookie)));
        boolean intentToCancel = Ids.chance(random, 0.5);
        steps.add(() -> events.crmCall(Sender.crm(c), intentToCancel));
        browse(c, cookie, steps);
    }

    /** A till knows only the loyalty card; customers without one shop online instead. */
    private void shopInStore(Customer c, Deque<Supplier<ObjectNode>> steps) {
        if (c.loyaltyId() == null) {
            shopOnline(c, steps);
            return;
        }
        List<Product> basket = products(1 + random.nextInt(2));
        steps.add(() -> events.orderCompleted(Sender.pos(c), basket));
    }

    /** A server-side alias of a cookie to the customer id, then a logged-in page with that cookie. */
    private void aliasCookie(Customer c, Deque<Supplier<ObjectNode>> steps) {
        String cookie = cookie(c);
        steps.add(() -> events.alias(c, cookie));
        steps.add(() -> events.page(Sender.web(c, cookie), "Account", "/account", ""));
    }

    private String cookie(Customer c) {
        return Ids.pick(random, c.cookies());
    }

    private List<Product> products(int count) {
        List<Product> products = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            products.add(Catalog.random(random));
        }
        return products;
    }
}
