package dev.streamingcdp.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.model.Identifier;
import org.junit.jupiter.api.Test;

class ProfileIdTest {

    @Test
    void isDeterministicHashedAndDiffersByLabel() {
        String id = ProfileId.of(new Identifier("email", "ann@example.com"));
        assertThat(id).matches("p-[0-9a-f]{24}").doesNotContain("ann");
        assertThat(ProfileId.of(new Identifier("email", "ann@example.com"))).isEqualTo(id);
        assertThat(ProfileId.of(new Identifier("email", "bob@example.com"))).isNotEqualTo(id);
        assertThat(ProfileId.of(new Identifier("user_id", "ann@example.com"))).isNotEqualTo(id);
    }

    @Test
    void isTheSha256OfNamespaceColonValue() {
        // echo -n 'user_id:u1' | sha256sum
        assertThat(ProfileId.of(new Identifier("user_id", "u1"))).isEqualTo("p-90c5bc873dedef8054fdde93");
    }
}
