package dev.streamingcdp.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.simulator.Catalog.Product;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Builds Segment Spec events as analytics libraries and connectors send them. Each event gets a fresh messageId and
 * the simulated clock's time when it is built, so build events at the moment they are sent.
 */
final class EventFactory {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String SHOP = "https://shop.example.com";
    /** Millisecond precision; XXX writes Z for UTC and +02:00 style offsets otherwise. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    /** Most senders write UTC; some write the customer's local time with its offset. */
    private static final double LOCAL_OFFSET_SHARE = 0.15;
    /** Mobile SDKs send in batches: their events reach Kafka up to a few seconds after they happened. */
    private static final int MAX_APP_LAG_MILLIS = 3000;
    private static final List<String> CALL_REASONS = List.of("billing", "delivery", "returns", "membership");

    private final Random random;
    private final SimClock clock;
    private final String defaultPhoneRegion;

    EventFactory(Random random, SimClock clock, String defaultPhoneRegion) {
        this.random = random;
        this.clock = clock;
        this.defaultPhoneRegion = defaultPhoneRegion;
    }

    ObjectNode page(Sender s, String name, String path, String query) {
        ObjectNode e = base("page", s);
        e.put("name", name);
        e.putObject("properties").put("path", path).put("url", SHOP + path + query).put("title", name + " | Shop");
        return finish(e, s);
    }

    ObjectNode screen(Sender s, String name) {
        ObjectNode e = base("screen", s);
        e.put("name", name);
        return finish(e, s);
    }

    ObjectNode productViewed(Sender s, Product p) {
        return track(s, "Product Viewed", product(p));
    }

    ObjectNode productAdded(Sender s, Product p) {
        return track(s, "Product Added", product(p).put("quantity", 1));
    }

    /** An order: online (web, app) or at a till (pos, with a store id). */
    ObjectNode orderCompleted(Sender s, List<Product> products) {
        ObjectNode props = JSON.objectNode().put("order_id", "ord-" + Ids.uuid(random));
        if (s.channel().equals("pos")) {
            String country = s.customer().country().toLowerCase(Locale.ROOT);
            props.put("store_id", "store-" + country + "-0" + (1 + random.nextInt(5)));
        }
        double revenue = products.stream().mapToDouble(Product::price).sum();
        props.put("revenue", Math.round(revenue * 100) / 100.0).put("currency", currency(s.customer()));
        ArrayNode items = props.putArray("products");
        products.forEach(p -> items.add(product(p).put("quantity", 1)));
        return track(s, "Order Completed", props);
    }

    ObjectNode emailLinkClicked(Sender s, String campaign) {
        return track(s, "Email Link Clicked", JSON.objectNode().put("campaign_id", campaign)
                .put("link_url", SHOP + "/?utm_source=email&utm_campaign=" + campaign));
    }

    /** Segment's consent event: the preferences travel in context.consent, as on every event once consent is set. */
    ObjectNode consentUpdated(Sender s) {
        ObjectNode e = track(s, "Segment Consent Preference Updated", JSON.objectNode());
        ObjectNode context = e.has("context") ? (ObjectNode) e.get("context") : e.putObject("context");
        context.putObject("consent").putObject("categoryPreferences")
                .put("marketing", Ids.chance(random, 0.7))
                .put("advertising", Ids.chance(random, 0.5))
                .put("personalisation", Ids.chance(random, 0.8))
                .put("analytics", Ids.chance(random, 0.85));
        return e;
    }

    /** A web login: links the cookie to the customer id and tells her e-mail, typed as she typed it. */
    ObjectNode login(Sender s) {
        Customer c = s.customer();
        ObjectNode e = base("identify", s);
        e.putObject("traits").put("email", asTyped(c.email())).put("firstName", c.firstName())
                .put("lastName", c.lastName());
        return finish(e, s);
    }

    /** The call-centre agent's CRM note: her phone as the agent typed it, and whether she means to cancel. */
    ObjectNode crmCall(Sender s, boolean intentToCancel) {
        ObjectNode e = base("identify", s);
        e.putObject("traits").put("phone", Phones.asTyped(s.customer().phone(), defaultPhoneRegion, random))
                .put("call_reason", Ids.pick(random, CALL_REASONS)).put("intent_to_cancel", intentToCancel);
        return finish(e, s);
    }

    ObjectNode alias(Customer c, String previousId) {
        Sender s = Sender.web(c, null);
        ObjectNode e = base("alias", s);
        e.put("previousId", previousId);
        return finish(e, s);
    }

    ObjectNode group(Sender s) {
        ObjectNode e = base("group", s);
        e.put("groupId", s.customer().householdId());
        e.putObject("traits").put("name", s.customer().lastName() + " household");
        return finish(e, s);
    }

    private ObjectNode track(Sender s, String event, ObjectNode properties) {
        ObjectNode e = base("track", s);
        e.put("event", event);
        e.set("properties", properties);
        return finish(e, s);
    }

    private ObjectNode base(String type, Sender s) {
        ObjectNode e = JSON.objectNode();
        e.put("type", type);
        e.put("messageId", Ids.uuid(random));
        e.put("timestamp", timestamp(s));
        e.put("channel", s.channel());
        if (s.userId() != null) {
            e.put("userId", s.userId());
        }
        if (s.anonymousId() != null) {
            e.put("anonymousId", s.anonymousId());
        }
        return e;
    }

    private ObjectNode finish(ObjectNode e, Sender s) {
        Customer c = s.customer();
        ObjectNode context = JSON.objectNode();
        if (s.library() != null) {
            context.putObject("library").put("name", s.library());
        }
        if (s.deviceId() != null) {
            context.putObject("device").put("id", s.deviceId()).put("type", c.deviceOs());
        }
        if (s.emailInContext()) {
            context.putObject("traits").put("email", asTyped(c.email()));
        }
        if (s.loyaltyInContext()) {
            context.putArray("externalIds").addObject().put("id", c.loyaltyId()).put("type", "loyalty_id");
        }
        if (!context.isEmpty()) {
            e.set("context", context);
        }
        return e;
    }

    private String timestamp(Sender s) {
        Instant at = clock.now();
        if (s.deviceId() != null) {
            at = at.minus(Duration.ofMillis(random.nextInt(MAX_APP_LAG_MILLIS)));
        }
        ZoneOffset offset = Ids.chance(random, LOCAL_OFFSET_SHARE)
                ? s.customer().zone().getRules().getOffset(at) : ZoneOffset.UTC;
        return TIMESTAMP.format(at.atOffset(offset));
    }

    /** Mostly as stored; sometimes capitalised (Jane.Doe42@Example.COM) or with spaces around it. */
    private String asTyped(String email) {
        double roll = random.nextDouble();
        if (roll < 0.7) {
            return email;
        }
        int at = email.indexOf('@');
        int dot = email.lastIndexOf('.');
        String shouted = capitalise(email.substring(0, at)) + "@" + capitalise(email.substring(at + 1, dot))
                + email.substring(dot).toUpperCase(Locale.ROOT);
        return roll < 0.85 ? shouted : " " + shouted + " ";
    }

    private static String capitalise(String dotted) {
        StringBuilder out = new StringBuilder(dotted.length());
        for (String part : dotted.split("\\.", -1)) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(part.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }

    private static ObjectNode product(Product p) {
        return JSON.objectNode().put("product_id", p.id()).put("name", p.name()).put("category", p.category())
                .put("price", p.price());
    }

    private static String currency(Customer c) {
        return switch (c.country()) {
            case "US" -> "USD";
            case "GB" -> "GBP";
            default -> "EUR";
        };
    }
}
