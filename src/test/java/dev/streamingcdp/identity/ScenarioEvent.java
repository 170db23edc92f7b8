package dev.streamingcdp.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.model.Namespaces;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * One generated input event: its Segment Spec type, time and the identifier keys ("namespace:value") it carries, and
 * the JSON a Segment client would send for it. Every identifier sits in the field the job reads it from, so the job
 * links exactly {@link #identifiers()} (IdentityScenarioTest checks that through the real decoder and normaliser).
 */
record ScenarioEvent(String messageId, String type, Instant timestamp, String channel, List<String> identifiers) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TRACK_NAMES =
            List.of("Product Viewed", "Product Added", "Cart Viewed", "Order Completed", "Coupon Applied");
    private static final List<String> PAGE_NAMES = List.of("Home", "Category", "Product", "Checkout", "Account");

    ScenarioEvent {
        identifiers = List.copyOf(identifiers);
    }

    /** The Segment Spec JSON of this event, as UTF-8. */
    byte[] json() {
        ObjectNode e = JSON.createObjectNode()
                .put("type", type)
                .put("messageId", messageId)
                .put("timestamp", timestamp.toString())
                .put("channel", channel);
        // identify calls carry contact data in traits; the other calls in context.traits (Segment Spec)
        ObjectNode contactTraits = null;
        int variant = Math.floorMod(messageId.hashCode(), 5);
        for (String key : identifiers) {
            String ns = namespace(key);
            String value = value(key);
            switch (ns) {
                case Namespaces.USER_ID -> e.put("userId", value);
                case Namespaces.ANONYMOUS_ID -> {
                    // alias: the first anonymous id is the one the user had before (previousId)
                    if (type.equals("alias") && !e.has("previousId")) {
                        e.put("previousId", value);
                    } else {
                        e.put("anonymousId", value);
                    }
                }
                case Namespaces.EMAIL, Namespaces.PHONE -> {
                    if (contactTraits == null) {
                        contactTraits = type.equals("identify") ? e.putObject("traits")
                                : context(e).putObject("traits");
                    }
                    contactTraits.put(ns, value);
                }
                case Namespaces.DEVICE_ID -> context(e).putObject("device").put("id", value);
                default -> throw new IllegalStateException("no field for namespace " + ns);
            }
        }
        switch (type) {
            case "track" -> e.put("event", TRACK_NAMES.get(variant)).putObject("properties").put("price", 10 + variant);
            case "page", "screen" -> e.put("name", PAGE_NAMES.get(variant));
            case "group" -> e.put("groupId", "company-" + variant);
            case "identify" -> (contactTraits != null ? contactTraits : e.putObject("traits"))
                    .put("plan", "tier-" + variant);
            default -> { } // alias: previousId and userId are all it needs
        }
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String key(String namespace, String value) {
        return namespace + ":" + value;
    }

    /** Namespaces never contain ':', values may. */
    static String namespace(String key) {
        return key.substring(0, key.indexOf(':'));
    }

    static String value(String key) {
        return key.substring(key.indexOf(':') + 1);
    }

    private static ObjectNode context(ObjectNode e) {
        return e.has("context") ? (ObjectNode) e.get("context") : e.putObject("context");
    }
}
