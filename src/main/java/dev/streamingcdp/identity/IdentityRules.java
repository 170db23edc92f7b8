package dev.streamingcdp.identity;

import dev.streamingcdp.config.YamlFiles;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.Namespaces;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The identity rules of a job (jobs/&lt;name&gt;/identity.yaml): namespace priority, how many values of a namespace a
 * profile may hold, values that must never link, and the shared-device guard. Immutable and shipped to operators.
 */
public final class IdentityRules implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String FILE = "identity.yaml";

    private static final IdentityRules NONE = new IdentityRules(new IdentityFile(List.of(
            plain(Namespaces.USER_ID, false), plain(Namespaces.EMAIL, false), plain(Namespaces.PHONE, false),
            plain(Namespaces.DEVICE_ID, true), plain(Namespaces.ANONYMOUS_ID, true)), null));

    /** The listed namespaces; an unlisted namespace has no rule and ranks after all of them. */
    private final Map<String, Rule> rules;
    /** The rules with a limit, in priority order, so violation() reports the strongest namespace first. */
    private final List<Rule> limited;
    private final int maxUserIds;

    /**
     * One listed namespace. Pattern is Serializable and recompiles itself when read, so the regexes are compiled once
     * per operator instance, never per identifier.
     */
    private record Rule(String name, int rank, int limit, boolean unique, boolean anonymous, boolean guarded,
            Set<String> blocked, List<Pattern> blockedPatterns) implements Serializable {}

    /** A per-profile rule that a set of identifiers breaks; rule is "unique" or "limit". */
    public record Violation(String rule, String namespace, String detail) implements Serializable {}

    private IdentityRules(IdentityFile file) {
        IdentityFile.SharedDeviceGuard guard = file.sharedDeviceGuard();
        Set<String> guarded = guard != null ? Set.copyOf(guard.namespaces()) : Set.of();
        Map<String, Rule> byName = new HashMap<>();
        List<Rule> withLimit = new ArrayList<>();
        for (int i = 0; i < file.namespaces().size(); i++) {
            IdentityFile.Namespace ns = file.namespaces().get(i);
            Rule rule = new Rule(ns.name(), i, ns.maxValues(), ns.unique(), ns.anonymous(), guarded.contains(ns.name()),
                    Set.copyOf(ns.blocked()), ns.blockedPatterns().stream().map(Pattern::compile).toList());
            byName.put(rule.name(), rule);
            if (rule.limit() < Integer.MAX_VALUE) {
                withLimit.add(rule);
            }
        }
        this.rules = Map.copyOf(byName);
        this.limited = List.copyOf(withLimit);
        this.maxUserIds = guard != null ? guard.maxUserIds() : Integer.MAX_VALUE;
    }

    /** jobDir/identity.yaml; a missing file means no rules (see none()). Bad file/field -> ConfigException (one line). */
    public static IdentityRules load(Path jobDir) {
        Path file = jobDir.resolve(FILE);
        if (!Files.exists(file)) {
            return none();
        }
        return new IdentityRules(YamlFiles.read(file, IdentityFile.class, IdentityFile::check));
    }

    /**
     * No rules: the default priority order user_id, email, phone, device_id, anonymous_id; no limits, nothing blocked,
     * no guard; anonymous namespaces device_id and anonymous_id.
     */
    public static IdentityRules none() {
        return NONE;
    }

    /**
     * Total order on identifiers: namespace priority (listed ones in list order, then unlisted namespaces
     * alphabetically), then value (String.compareTo). Negative = a is stronger. Consistent with equals.
     */
    public int compare(Identifier a, Identifier b) {
        int c = Integer.compare(rank(a.getNamespace()), rank(b.getNamespace()));
        if (c == 0) {
            c = a.getNamespace().compareTo(b.getNamespace());
        }
        return c != 0 ? c : a.getValue().compareTo(b.getValue());
    }

    /** The strongest of a non-empty collection. */
    public Identifier strongest(Collection<Identifier> ids) {
        Identifier best = null;
        for (Identifier id : ids) {
            if (best == null || compare(id, best) < 0) {
                best = id;
            }
        }
        if (best == null) {
            throw new NoSuchElementException("no identifiers");
        }
        return best;
    }

    /** Why this identifier must never link (a blocked value or pattern of its namespace), or empty. */
    public Optional<String> blocked(Identifier id) {
        Rule rule = rules.get(id.getNamespace());
        if (rule == null) {
            return Optional.empty();
        }
        String value = id.getValue();
        if (rule.blocked().contains(value)) {
            return Optional.of("blocked value '" + value + "' of " + rule.name());
        }
        for (Pattern pattern : rule.blockedPatterns()) {
            if (pattern.matcher(value).find()) {
                return Optional.of("blocked pattern " + pattern + " of " + rule.name());
            }
        }
        return Optional.empty();
    }

    /** 1 for unique, the limit, or Integer.MAX_VALUE. */
    public int limit(String namespace) {
        Rule rule = rules.get(namespace);
        return rule != null ? rule.limit() : Integer.MAX_VALUE;
    }

    /** The first rule, in priority order, that these per-namespace value counts of one profile break, or empty. */
    public Optional<Violation> violation(Map<String, Integer> namespaceCounts) {
        for (Rule rule : limited) {
            Integer count = namespaceCounts.get(rule.name());
            if (count != null && count > rule.limit()) {
                return Optional.of(new Violation(rule.unique() ? "unique" : "limit", rule.name(),
                        count + " values of " + rule.name() + ", at most " + rule.limit()));
            }
        }
        return Optional.empty();
    }

    /** Whether identifiers of this namespace are watched by the shared-device guard. */
    public boolean guarded(String namespace) {
        Rule rule = rules.get(namespace);
        return rule != null && rule.guarded();
    }

    /** The guard's maximum number of distinct user ids (Integer.MAX_VALUE when there is no guard). */
    public int maxUserIdsPerDevice() {
        return maxUserIds;
    }

    /** Whether the namespace counts as anonymous: profiles with only anonymous identifiers expire. */
    public boolean anonymous(String namespace) {
        Rule rule = rules.get(namespace);
        return rule != null && rule.anonymous();
    }

    private int rank(String namespace) {
        Rule rule = rules.get(namespace);
        return rule != null ? rule.rank() : rules.size();
    }

    private static IdentityFile.Namespace plain(String name, boolean anonymous) {
        return new IdentityFile.Namespace(name, false, null, anonymous, null, null);
    }
}
