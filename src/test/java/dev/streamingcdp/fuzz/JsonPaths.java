package dev.streamingcdp.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Sets and removes fields of a JSON event by dotted path ("context.externalIds.0.type"), creating what is missing. */
final class JsonPaths {

    private JsonPaths() {}

    static JsonNode get(ObjectNode root, String path) {
        return root.at("/" + path.replace('.', '/'));
    }

    static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = container(node, parts[i], isIndex(parts[i + 1]));
        }
        put(node, parts[parts.length - 1], value);
    }

    static void remove(ObjectNode root, String path) {
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? root : get(root, path.substring(0, dot));
        String last = path.substring(dot + 1);
        if (parent instanceof ObjectNode o) {
            o.remove(last);
        } else if (parent instanceof ArrayNode a && isIndex(last) && Integer.parseInt(last) < a.size()) {
            a.remove(Integer.parseInt(last));
        }
    }

    private static JsonNode container(JsonNode parent, String name, boolean array) {
        JsonNode child = parent instanceof ArrayNode a ? a.get(index(a, name)) : parent.get(name);
        if (child == null || (array ? !child.isArray() : !child.isObject())) {
            child = array ? ((ContainerNode<?>) parent).arrayNode()
                    : ((ContainerNode<?>) parent).objectNode();
            put(parent, name, child);
        }
        return child;
    }

    private static void put(JsonNode parent, String name, JsonNode value) {
        if (parent instanceof ArrayNode a) {
            a.set(index(a, name), value);
        } else {
            ((ObjectNode) parent).set(name, value);
        }
    }

    /** The index, with the array padded with nulls up to it. */
    private static int index(ArrayNode a, String name) {
        int i = Integer.parseInt(name);
        while (a.size() <= i) {
            a.addNull();
        }
        return i;
    }

    private static boolean isIndex(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
