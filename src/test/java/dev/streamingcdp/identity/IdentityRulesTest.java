package dev.streamingcdp.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamingcdp.config.ConfigException;
import dev.streamingcdp.identity.IdentityRules.Violation;
import dev.streamingcdp.model.Identifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentityRulesTest {

    private static final Path DEMO = Path.of("jobs/retail-demo");
    private static final IdentityRules RULES = IdentityRules.load(DEMO);

    @TempDir
    Path dir;

    @Test
    void theShippedDemoLoads() {
        assertThat(RULES.limit("user_id")).isEqualTo(1);
        assertThat(RULES.limit("email")).isEqualTo(5);
        assertThat(RULES.limit("loyalty_id")).isEqualTo(1);
        assertThat(RULES.limit("anonymous_id")).isEqualTo(100);
        assertThat(RULES.limit("web_id")).isEqualTo(Integer.MAX_VALUE);
        assertThat(RULES.anonymous("device_id")).isTrue();
        assertThat(RULES.anonymous("anonymous_id")).isTrue();
        assertThat(RULES.anonymous("email")).isFalse();
        assertThat(RULES.guarded("device_id")).isTrue();
        assertThat(RULES.guarded("anonymous_id")).isTrue();
        assertThat(RULES.guarded("user_id")).isFalse();
        assertThat(RULES.maxUserIdsPerDevice()).isEqualTo(3);
    }

    @Test
    void identifiersOrderByPriorityThenValueWithUnlistedNamespacesLastAlphabetically() {
        List<Identifier> strongestFirst = List.of(id("user_id", "u1"), id("email", "a@x.com"), id("email", "b@x.com"),
                id("phone", "+15550100"), id("loyalty_id", "LOY-1"), id("crm_id", "C-9"), id("device_id", "d1"),
                id("anonymous_id", "a1"), id("anonymous_id", "a2"), id("apple_id", "z"), id("web_id", "a"));
        List<Identifier> shuffled = new ArrayList<>(strongestFirst);
        Collections.shuffle(shuffled, new Random(7));

        shuffled.sort(RULES::compare);

        assertThat(shuffled).containsExactlyElementsOf(strongestFirst);
        assertThat(RULES.strongest(shuffled)).isEqualTo(id("user_id", "u1"));
    }

    @Test
    void theOrderIsConsistentWithEquals() {
        assertThat(RULES.compare(id("web_id", "a"), id("web_id", "a"))).isZero();
        assertThat(RULES.compare(id("web_id", "a"), id("app_id", "a"))).isPositive();
        assertThat(RULES.compare(id("email", "a@x.com"), id("email", "b@x.com"))).isNegative();
    }

    @Test
    void strongestNeedsAnIdentifier() {
        assertThatThrownBy(() -> RULES.strongest(List.of())).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void withoutRulesTheDefaultOrderAppliesAndNothingIsLimitedOrBlocked() {
        IdentityRules none = IdentityRules.none();
        List<Identifier> strongestFirst = List.of(id("user_id", "u"), id("email", "e@x.com"), id("phone", "+1555"),
                id("device_id", "d"), id("anonymous_id", "a"), id("crm_id", "c"), id("loyalty_id", "l"));
        List<Identifier> sorted = new ArrayList<>(strongestFirst);
        Collections.reverse(sorted);

        sorted.sort(none::compare);

        assertThat(sorted).containsExactlyElementsOf(strongestFirst);
        assertThat(none.limit("user_id")).isEqualTo(Integer.MAX_VALUE);
        assertThat(none.violation(Map.of("user_id", 3, "email", 50))).isEmpty();
        assertThat(none.blocked(id("device_id", "00000000-0000-0000-0000-000000000000"))).isEmpty();
        assertThat(none.guarded("device_id")).isFalse();
        assertThat(none.maxUserIdsPerDevice()).isEqualTo(Integer.MAX_VALUE);
        assertThat(none.anonymous("device_id")).isTrue();
        assertThat(none.anonymous("anonymous_id")).isTrue();
        assertThat(none.anonymous("user_id")).isFalse();
    }

    @Test
    void aMissingFileMeansNoRules() {
        assertThat(IdentityRules.load(dir)).isSameAs(IdentityRules.none());
    }

    @Test
    void blockedValuesAndPatternsNeverLinkAndOnlyInTheirNamespace() {
        assertThat(RULES.blocked(id("device_id", "unknown"))).contains("blocked value 'unknown' of device_id");
        assertThat(RULES.blocked(id("device_id", "00000000-0000-0000-0000-000000000000")))
                .contains("blocked value '00000000-0000-0000-0000-000000000000' of device_id");
        assertThat(RULES.blocked(id("device_id", "0000"))).contains("blocked pattern ^0+$ of device_id");
        assertThat(RULES.blocked(id("device_id", "0000a"))).isEmpty();
        assertThat(RULES.blocked(id("anonymous_id", "unknown"))).isEmpty();
        assertThat(RULES.blocked(id("web_id", "0000"))).isEmpty();
    }

    @Test
    void violationReportsTheStrongestBrokenRule() {
        assertThat(RULES.violation(Map.of("user_id", 2)))
                .contains(new Violation("unique", "user_id", "2 values of user_id, at most 1"));
        assertThat(RULES.violation(Map.of("email", 6)))
                .contains(new Violation("limit", "email", "6 values of email, at most 5"));
        assertThat(RULES.violation(Map.of("device_id", 21, "loyalty_id", 2)))
                .map(Violation::namespace).contains("loyalty_id");
    }

    @Test
    void countsWithinTheRulesBreakNothing() {
        assertThat(RULES.violation(Map.of("user_id", 1, "email", 5, "device_id", 20, "anonymous_id", 100,
                "web_id", 1000))).isEmpty();
        assertThat(RULES.violation(Map.of())).isEmpty();
    }

    @Test
    void loadedRulesSurviveJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(RULES);
        }
        IdentityRules copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (IdentityRules) in.readObject();
        }

        assertThat(copy.blocked(id("device_id", "000"))).contains("blocked pattern ^0+$ of device_id");
        assertThat(copy.blocked(id("device_id", "unknown"))).contains("blocked value 'unknown' of device_id");
        assertThat(copy.blocked(id("device_id", "d1"))).isEmpty();
        assertThat(copy.compare(id("email", "e@x.com"), id("user_id", "u"))).isPositive();
        assertThat(copy.violation(Map.of("email", 6))).map(Violation::rule).contains("limit");
        assertThat(copy.guarded("anonymous_id")).isTrue();
        assertThat(copy.maxUserIdsPerDevice()).isEqualTo(3);
        assertThat(copy.anonymous("device_id")).isTrue();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        // replace this                      | with this (\n: new line)         | expected message part
        "'  - name: crm_id'                  | '  - name: email'                 | field 'namespaces[4].name': 'email' is already listed as namespaces[1]",
        "'  - name: crm_id'                  | '  - name: CRM-ID'                | field 'namespaces[4].name': 'CRM-ID' must consist of lower-case letters",
        "'    limit: 20'                     | '    limit: 0'                    | field 'namespaces[5].limit': must be greater than 0, was 0",
        "'    limit: 20'                     | '    limit: many'                 | field 'namespaces[5].limit'",
        "'    limit: 5              # at most 5 per profile' | '    limit: 5\\n    unique: true' | field 'namespaces[1].limit': contradicts unique: true",
        "'    blockedPatterns: [\"^0+$\"]'   | '    blockedPatterns: [\"^0+$\", \"(unknown\"]' | field 'namespaces[5].blockedPatterns[1]': '(unknown' is not a valid regex: Unclosed group near index 8",
        "'\"unknown\"]'                      | '\"\"]'                           | field 'namespaces[5].blocked[1]': must not be blank",
        "'  namespaces: [device_id, anonymous_id]' | '  namespaces: [device_id, cookie_id]' | field 'sharedDeviceGuard.namespaces[1]': 'cookie_id' is not listed under namespaces",
        "'  maxUserIds: 3'                   | '  maxUserIds: 0'                 | field 'sharedDeviceGuard.maxUserIds': must be greater than 0, was 0",
        "'  maxUserIds: 3'                   | ''                                | field 'sharedDeviceGuard.maxUserIds': is required",
        "'  maxUserIds: 3'                   | '  maxUserIds:'                   | field 'sharedDeviceGuard.maxUserIds': is required",
        "'    limit: 20'                     | '    limits: 20'                  | field 'namespaces[5].limits': unknown field 'limits'",
        "'sharedDeviceGuard:'                | 'sharedDeviceGuards:'             | field 'sharedDeviceGuards': unknown field 'sharedDeviceGuards'",
        "'  - name: user_id'                 | '  - name: [user_id]'             | field 'namespaces[0].name': wrong type, expected string"})
    void aBadFieldStopsTheStartWithOneLineNamingFileAndField(String from, String to, String expected)
            throws IOException {
        String demo = Files.readString(DEMO.resolve(IdentityRules.FILE));
        assertThat(demo).contains(from);
        Files.writeString(dir.resolve(IdentityRules.FILE), demo.replace(from, to.replace("\\n", "\n")));

        assertThatThrownBy(() -> IdentityRules.load(dir))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith(dir.resolve(IdentityRules.FILE).toString())
                        .contains(expected)
                        .doesNotContain("\n"));
    }

    private static Identifier id(String namespace, String value) {
        return new Identifier(namespace, value);
    }
}
