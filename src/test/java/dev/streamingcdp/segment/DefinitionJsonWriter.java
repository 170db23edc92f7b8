package dev.streamingcdp.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Writes a {@link SegmentDefinition} as the control topic's JSON document (the YAML format), so generated definitions
 * can be sent to the operator's broadcast side and read back by the real loader.
 */
final class DefinitionJsonWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DefinitionJsonWriter() {}

    static String json(SegmentDefinition s) {
        ObjectNode doc = NODES.objectNode().put("id", s.id()).put("name", s.name()).put("version", s.version());
        if (s.description() != null) {
            doc.put("description", s.description());
        }
        ArrayNode destinations = doc.putArray("destinations");
        s.destinations().forEach(destinations::add);
        if (s.consent() != null) {
            doc.put("consent", s.consent());
        }
        doc.set("condition", condition(s.condition()));
        return doc.toString();
    }

    static ObjectNode condition(Condition c) {
        ObjectNode node = NODES.objectNode();
        if (c instanceof Condition.All all) {
            ArrayNode list = node.putArray("all");
            all.conditions().forEach(x -> list.add(condition(x)));
        } else if (c instanceof Condition.Any any) {
            ArrayNode list = node.putArray("any");
            any.conditions().forEach(x -> list.add(condition(x)));
        } else if (c instanceof Condition.Not not) {
            node.set("not", condition(not.condition()));
        } else if (c instanceof Condition.Trait t) {
            node.put("trait", t.trait());
            comparison(node, t.comparison());
        } else if (c instanceof Condition.Computed t) {
            node.put("computed", t.computedTrait());
            comparison(node, t.comparison());
        } else if (c instanceof Condition.Event e) {
            matcher(node, e.matcher());
            if (e.atLeast() > 0) {
                node.put("atLeast", e.atLeast());
            }
            if (e.atMost() != null) {
                node.put("atMost", e.atMost());
            }
            if (e.within() != null) {
                node.put("within", duration(e.within()));
            }
        } else {
            Condition.Sequence s = (Condition.Sequence) c;
            ObjectNode sequence = node.putObject("sequence");
            matcher(sequence.putObject("did"), s.did());
            matcher(sequence.putObject("notFollowedBy"), s.notFollowedBy());
            sequence.put("within", duration(s.within()));
        }
        return node;
    }

    private static void matcher(ObjectNode node, EventMatcher m) {
        if (m.event() != null) {
            node.put("event", m.event());
        } else {
            node.put("type", m.type().code());
        }
        if (!m.where().isEmpty()) {
            ObjectNode where = node.putObject("where");
            for (Map.Entry<String, Comparison> f : m.where().entrySet()) {
                comparison(where.putObject(f.getKey()), f.getValue());
            }
        }
    }

    private static void comparison(ObjectNode node, Comparison c) {
        if (c instanceof Comparison.Equals x) {
            node.set("equals", scalar(x.value()));
        } else if (c instanceof Comparison.NotEquals x) {
            node.set("notEquals", scalar(x.value()));
        } else if (c instanceof Comparison.In x) {
            ArrayNode list = node.putArray("in");
            x.values().forEach(v -> list.add(scalar(v)));
        } else if (c instanceof Comparison.GreaterThan x) {
            node.put("greaterThan", x.value());
        } else if (c instanceof Comparison.LessThan x) {
            node.put("lessThan", x.value());
        } else if (c instanceof Comparison.Between x) {
            node.putArray("between").add(x.low()).add(x.high());
        } else if (c instanceof Comparison.Exists x) {
            node.put("exists", x.exists());
        } else if (c instanceof Comparison.Contains x) {
            node.put("contains", x.text());
        } else {
            node.put("matches", ((Comparison.Matches) c).pattern().pattern());
        }
    }

    private static JsonNode scalar(Object v) {
        if (v instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        return NODES.textNode((String) v);
    }

    private static String duration(Duration d) {
        long minutes = d.toMinutes();
        return minutes % (24 * 60) == 0 ? minutes / (24 * 60) + "d" : minutes % 60 == 0 ? minutes / 60 + "h"
                : minutes + "m";
    }
}
