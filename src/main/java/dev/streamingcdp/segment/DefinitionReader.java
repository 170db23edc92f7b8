package dev.streamingcdp.segment;

import static dev.streamingcdp.config.ConfigException.field;
import static dev.streamingcdp.segment.SourceDocument.child;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.config.Durations;
import dev.streamingcdp.ingest.EventType;
import dev.streamingcdp.segment.ComputedTraitDefinition.Function;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a parsed document into definition records, by hand: a condition's kind is decided by which key it has, and
 * every problem is a {@link ConfigException#field} with the path of the offending field.
 */
final class DefinitionReader {

    private static final Pattern SEGMENT_ID = Pattern.compile("[a-z0-9-]+");
    private static final Pattern TRAIT_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final String KINDS = "all, any, not, trait, computed, event, type or sequence";

    /** Computed-trait names a {@code computed} condition may use; null when not known (no check). */
    private final Set<String> computedTraits;

    DefinitionReader(Set<String> computedTraits) {
        this.computedTraits = computedTraits;
    }

    SegmentDefinition segment(JsonNode node) {
        Fields f = new Fields(node, "");
        f.only("id", "name", "version", "description", "destinations", "consent", "condition");
        String id = f.text("id");
        if (!SEGMENT_ID.matcher(id).matches()) {
            throw field("id", "'" + id + "' may only contain lower-case letters, digits and '-'");
        }
        int version = f.integer("version", 1);
        List<String> destinations = new ArrayList<>();
        JsonNode list = f.required("destinations");
        if (!list.isArray() || list.isEmpty()) {
            throw field("destinations", "must be a non-empty list of destination names");
        }
        for (int i = 0; i < list.size(); i++) {
            destinations.add(Fields.text(list.get(i), "destinations[" + i + "]"));
        }
        return new SegmentDefinition(id, f.text("name"), version, f.optionalText("description"), destinations,
                f.optionalText("consent"), condition(f.required("condition"), "condition"));
    }

    List<ComputedTraitDefinition> computedTraits(JsonNode node) {
        Fields f = new Fields(node, "");
        f.only("computedTraits");
        JsonNode list = f.required("computedTraits");
        if (!list.isArray()) {
            throw field("computedTraits", "must be a list");
        }
        List<ComputedTraitDefinition> traits = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "computedTraits[" + i + "]";
            ComputedTraitDefinition trait = computedTrait(new Fields(list.get(i), path));
            if (!names.add(trait.name())) {
                throw field(child(path, "name"), "'" + trait.name() + "' is declared twice");
            }
            traits.add(trait);
        }
        return traits;
    }

    private ComputedTraitDefinition computedTrait(Fields f) {
        f.only("name", "function", "event", "type", "property", "within", "where");
        String name = f.text("name");
        if (!TRAIT_NAME.matcher(name).matches()) {
            throw field(f.path("name"), "'" + name + "' may only contain lower-case letters, digits and '_'");
        }
        String code = f.text("function");
        Function function = Arrays.stream(Function.values()).filter(fn -> fn.code().equals(code)).findFirst()
                .orElseThrow(() -> field(f.path("function"), "'" + code + "' is not a function (one of "
                        + String.join(", ", Arrays.stream(Function.values()).map(Function::code).toList()) + ")"));
        String property = f.optionalText("property");
        if (function.needsProperty() && property == null) {
            throw field(f.path("property"), "is required for function " + code);
        }
        if (!function.needsProperty() && property != null) {
            throw field(f.path("property"), "must not be given for function " + code + " (it counts events)");
        }
        return new ComputedTraitDefinition(name, function, matcher(f), property, window(f, false));
    }

    private Condition condition(JsonNode node, String path) {
        if (!node.isObject() || node.isEmpty()) {
            throw field(path, "must be a condition: an object with one of " + KINDS);
        }
        Fields f = new Fields(node, path);
        if (node.has("all") || node.has("any")) {
            String kind = node.has("all") ? "all" : "any";
            f.only(kind);
            JsonNode list = f.required(kind);
            if (!list.isArray() || list.isEmpty()) {
                throw field(f.path(kind), "must be a non-empty list of conditions");
            }
            List<Condition> conditions = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                conditions.add(condition(list.get(i), f.path(kind) + "[" + i + "]"));
            }
            return kind.equals("all") ? new Condition.All(conditions) : new Condition.Any(conditions);
        }
        if (node.has("not")) {
            f.only("not");
            return new Condition.Not(condition(node.get("not"), f.path("not")));
        }
        if (node.has("sequence")) {
            f.only("sequence");
            Fields s = new Fields(node.get("sequence"), f.path("sequence"));
            s.only("did", "notFollowedBy", "within");
            Fields did = new Fields(s.required("did"), s.path("did"));
            did.only("event", "type", "where");
            Fields notFollowedBy = new Fields(s.required("notFollowedBy"), s.path("notFollowedBy"));
            notFollowedBy.only("event", "type", "where");
            return new Condition.Sequence(matcher(did), matcher(notFollowedBy), window(s, true));
        }
        if (node.has("trait")) {
            return new Condition.Trait(f.text("trait"), comparison(f, "trait"));
        }
        if (node.has("computed")) {
            String name = f.text("computed");
            if (computedTraits != null && !computedTraits.contains(name)) {
                throw field(f.path("computed"), "unknown computed trait '" + name + "' (declared: "
                        + (computedTraits.isEmpty() ? "none"
                                : String.join(", ", computedTraits.stream().sorted().toList()))
                        + ")");
            }
            return new Condition.Computed(name, comparison(f, "computed"));
        }
        if (node.has("event") || node.has("type")) {
            f.only("event", "type", "where", "atLeast", "atMost", "within");
            Integer atMost = node.has("atMost") ? f.integer("atMost", 0) : null;
            // Only an upper bound given ("at most 2 orders") includes profiles without any such event.
            int atLeast = node.has("atLeast") ? f.integer("atLeast", 1) : atMost != null ? 0 : 1;
            if (atMost != null && atMost < atLeast) {
                throw field(f.path("atMost"), atMost + " is less than atLeast " + atLeast);
            }
            return new Condition.Event(matcher(f), atLeast, atMost, window(f, false));
        }
        throw field(path, "unknown condition " + f.names() + "; a condition has one of " + KINDS);
    }

    /** The event/type/where fields of {@code f}. */
    private EventMatcher matcher(Fields f) {
        String event = f.optionalText("event");
        String type = f.optionalText("type");
        if (event != null && type != null) {
            throw field(f.path("type"), "write either 'event' (a track event name) or 'type', not both");
        }
        if (event == null && type == null) {
            throw field(f.path("event"), "is required (or 'type': page, screen, identify, track, group, alias)");
        }
        EventType eventType = type == null ? EventType.TRACK : EventType.of(type)
                .filter(t -> t.code().equals(type))
                .orElseThrow(() -> field(f.path("type"), "'" + type + "' is not an event type (one of "
                        + String.join(", ", Arrays.stream(EventType.values()).map(EventType::code).toList()) + ")"));
        Map<String, Comparison> where = new LinkedHashMap<>();
        JsonNode filters = f.node("where");
        if (filters != null) {
            if (!filters.isObject()) {
                throw field(f.path("where"), "must map property names to operators, e.g. {category: {equals: shoes}}");
            }
            filters.fieldNames().forEachRemaining(property -> where.put(property,
                    comparison(new Fields(filters.get(property), child(f.path("where"), property)), null)));
        }
        return new EventMatcher(eventType, event, where);
    }

    /** The {@code within} field: a positive duration, or null for "ever". */
    private static Duration window(Fields f, boolean required) {
        JsonNode node = required ? f.required("within") : f.node("within");
        if (node == null || node.isTextual() && node.asText().equals("ever") && !required) {
            return null;
        }
        String text = node.isTextual() ? node.asText() : node.toString();
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw field(f.path("within"), "'" + text + "' is not a valid duration (e.g. 30m, 7d"
                    + (required ? ")" : ", ever)"));
        }
        if (d.isZero()) {
            throw field(f.path("within"), "must be longer than 0");
        }
        return d;
    }

    /** The one operator field of {@code f}; {@code subject} (trait/computed, or null in a where filter) is skipped. */
    private static Comparison comparison(Fields f, String subject) {
        if (!f.node.isObject()) {
            throw field(f.path, "must be an operator object, e.g. {equals: value}");
        }
        List<String> operators = new ArrayList<>(f.names());
        operators.remove(subject);
        for (String op : operators) {
            if (!Comparison.OPERATORS.contains(op)) {
                throw field(f.path(op), "unknown operator '" + op + "' (one of "
                        + String.join(", ", Comparison.OPERATORS) + ")");
            }
        }
        if (operators.size() != 1) {
            throw field(f.path, (operators.isEmpty() ? "needs an operator" : "has several operators " + operators
                    + "; write exactly one") + " (one of " + String.join(", ", Comparison.OPERATORS) + ")");
        }
        String op = operators.get(0);
        JsonNode v = f.node(op);
        String path = f.path(op);
        return switch (op) {
            case "equals" -> new Comparison.Equals(scalar(v, path));
            case "notEquals" -> new Comparison.NotEquals(scalar(v, path));
            case "in" -> {
                if (!v.isArray() || v.isEmpty()) {
                    throw field(path, "must be a non-empty list of values");
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    values.add(scalar(v.get(i), path + "[" + i + "]"));
                }
                yield new Comparison.In(values);
            }
            case "greaterThan" -> new Comparison.GreaterThan(number(v, path));
            case "lessThan" -> new Comparison.LessThan(number(v, path));
            case "between" -> {
                if (!v.isArray() || v.size() != 2) {
                    throw field(path, "must be a list [low, high]");
                }
                BigDecimal low = number(v.get(0), path + "[0]");
                BigDecimal high = number(v.get(1), path + "[1]");
                if (low.compareTo(high) > 0) {
                    throw field(path, "low " + low.toPlainString() + " is greater than high " + high.toPlainString());
                }
                yield new Comparison.Between(low, high);
            }
            case "exists" -> {
                if (!v.isBoolean()) {
                    throw field(path, "must be true or false");
                }
                yield new Comparison.Exists(v.booleanValue());
            }
            case "contains" -> new Comparison.Contains(Fields.text(v, path));
            default -> {
                String regex = Fields.text(v, path);
                try {
                    yield new Comparison.Matches(Pattern.compile(regex));
                } catch (PatternSyntaxException e) {
                    throw field(path, "'" + regex + "' is not a valid regular expression: " + e.getDescription());
                }
            }
        };
    }

    private static Object scalar(JsonNode v, String path) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        throw field(path, "must be a string, number or boolean");
    }

    private static BigDecimal number(JsonNode v, String path) {
        if (!v.isNumber()) {
            throw field(path, "must be a number");
        }
        return v.decimalValue();
    }

    /** An object's fields with their paths, for one-line messages. */
    private static final class Fields {
        final JsonNode node;
        final String path;

        Fields(JsonNode node, String path) {
            if (!node.isObject()) {
                throw field(path, "must be an object");
            }
            this.node = node;
            this.path = path;
        }

        String path(String name) {
            return child(path, name);
        }

        List<String> names() {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }

        void only(String... known) {
            List<String> allowed = List.of(known);
            for (String name : names()) {
                if (!allowed.contains(name)) {
                    throw field(path(name),
                            "unknown field '" + name + "' (known here: " + String.join(", ", known) + ")");
                }
            }
        }

        JsonNode node(String name) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : v;
        }

        JsonNode required(String name) {
            JsonNode v = node(name);
            if (v == null) {
                throw field(path(name), "is required");
            }
            return v;
        }

        String text(String name) {
            return text(required(name), path(name));
        }

        String optionalText(String name) {
            JsonNode v = node(name);
            return v == null ? null : text(v, path(name));
        }

        static String text(JsonNode v, String at) {
            if (!v.isTextual() || v.asText().isBlank()) {
                throw field(at, "must be a non-blank string");
            }
            return v.asText();
        }

        int integer(String name, int min) {
            JsonNode v = required(name);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
                throw field(path(name), "must be a whole number of at least " + min);
            }
            return v.intValue();
        }
    }
}
