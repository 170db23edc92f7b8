package dev.streamingcdp.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.streamingcdp.config.ConfigException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** jobs/&lt;name&gt;/identity.yaml as written; {@link IdentityRules} is the checked, compiled form operators use. */
record IdentityFile(@JsonProperty(required = true) List<Namespace> namespaces, SharedDeviceGuard sharedDeviceGuard) {

    /** The shape ingestion gives namespaces ("Loyalty ID" arrives as loyalty_id), so other names could never match. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

    IdentityFile {
        namespaces = namespaces != null ? namespaces : List.of();
    }

    void check() {
        if (namespaces.isEmpty()) {
            throw ConfigException.field("namespaces", "needs at least one namespace, strongest first");
        }
        Map<String, Integer> listed = new HashMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            String at = "namespaces[" + i + "]";
            Namespace ns = namespaces.get(i);
            if (ns == null) {
                throw ConfigException.field(at, "is empty");
            }
            ns.check(at);
            Integer earlier = listed.putIfAbsent(ns.name(), i);
            if (earlier != null) {
                throw ConfigException.field(at + ".name",
                        "'" + ns.name() + "' is already listed as namespaces[" + earlier + "]");
            }
        }
        if (sharedDeviceGuard != null) {
            sharedDeviceGuard.check(listed.keySet());
        }
    }

    record Namespace(
            @JsonProperty(required = true) String name,
            Boolean unique,
            Integer limit,
            Boolean anonymous,
            List<String> blocked,
            List<String> blockedPatterns) {

        Namespace {
            unique = unique != null && unique;
            anonymous = anonymous != null && anonymous;
            blocked = blocked != null ? blocked : List.of();
            blockedPatterns = blockedPatterns != null ? blockedPatterns : List.of();
        }

        /** At most this many values per profile. */
        int maxValues() {
            return unique ? 1 : limit != null ? limit : Integer.MAX_VALUE;
        }

        void check(String at) {
            if (name == null) {
                throw ConfigException.field(at + ".name", "is required");
            }
            if (!NAME.matcher(name).matches()) {
                throw ConfigException.field(at + ".name",
                        "'" + name + "' must consist of lower-case letters, digits and _ (e.g. loyalty_id)");
            }
            if (limit != null && limit < 1) {
                throw ConfigException.field(at + ".limit", "must be greater than 0, was " + limit);
            }
            if (unique && limit != null && limit > 1) {
                throw ConfigException.field(at + ".limit",
                        "contradicts unique: true (at most one value per profile); keep one of them");
            }
            for (int j = 0; j < blocked.size(); j++) {
                notBlank(at + ".blocked[" + j + "]", blocked.get(j));
            }
            for (int j = 0; j < blockedPatterns.size(); j++) {
                String field = at + ".blockedPatterns[" + j + "]";
                String regex = blockedPatterns.get(j);
                notBlank(field, regex);
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw ConfigException.field(field, "'" + regex + "' is not a valid regex: " + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
                }
            }
        }
    }

    record SharedDeviceGuard(
            @JsonProperty(required = true) List<String> namespaces,
            @JsonProperty(required = true) Integer maxUserIds) {

        SharedDeviceGuard {
            namespaces = namespaces != null ? namespaces : List.of();
        }

        void check(Set<String> listed) {
            if (namespaces.isEmpty()) {
                throw ConfigException.field("sharedDeviceGuard.namespaces", "needs at least one namespace");
            }
            for (int i = 0; i < namespaces.size(); i++) {
                if (!listed.contains(namespaces.get(i))) {
                    throw ConfigException.field("sharedDeviceGuard.namespaces[" + i + "]",
                            "'" + namespaces.get(i) + "' is not listed under namespaces");
                }
            }
            if (maxUserIds == null) {
                throw ConfigException.field("sharedDeviceGuard.maxUserIds", "is required");
            }
            if (maxUserIds < 1) {
                throw ConfigException.field("sharedDeviceGuard.maxUserIds", "must be greater than 0, was " + maxUserIds);
            }
        }
    }

    private static void notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ConfigException.field(field, "must not be blank");
        }
    }
}
