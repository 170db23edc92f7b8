package dev.streamingcdp.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PopulationTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private final List<Customer> customers = Population.generate(42, 1000).customers();

    @Test
    void theSameSeedGivesTheSamePeople() {
        assertThat(Population.generate(42, 1000).customers()).isEqualTo(customers);
        assertThat(Population.generate(7, 1000).customers()).isNotEqualTo(customers);
    }

    @Test
    void identifiersBelongToOnePersonEach() {
        assertThat(customers.get(42).userId()).isEqualTo("cust-000042");
        for (Function<Customer, Object> id : List.<Function<Customer, Object>>of(Customer::userId, Customer::email,
                Customer::phone, Customer::cookies, Customer::deviceIds)) {
            assertThat(customers.stream().map(id).filter(v -> !List.of().equals(v))).doesNotHaveDuplicates();
        }
        assertThat(customers.stream().map(Customer::loyaltyId).filter(v -> v != null)).doesNotHaveDuplicates();
    }

    @Test
    void phonesAreValidMobilesFromSeveralCountries() throws Exception {
        for (Customer c : customers) {
            var number = PHONES.parse(c.phone(), null);
            assertThat(PHONES.isValidNumber(number)).as(c.phone()).isTrue();
            assertThat(PHONES.getRegionCodeForNumber(number)).isEqualTo(c.country());
        }
        assertThat(customers.stream().map(Customer::country).distinct()).contains("US", "GB", "DE", "FR");
    }

    @Test
    void typedPhonesNormaliseToTheStoredNumber() throws Exception {
        Random random = new Random(1);
        for (Customer c : customers) {
            for (int i = 0; i < 5; i++) {
                String typed = Phones.asTyped(c.phone(), "US", random);
                String e164 = PHONES.format(PHONES.parse(typed, "US"), PhoneNumberUtil.PhoneNumberFormat.E164);
                assertThat(e164).as(typed).isEqualTo(c.phone());
            }
        }
    }

    @Test
    void emailsAreAsciiAndLowerCase() {
        assertThat(customers).allSatisfy(c -> assertThat(c.email()).matches("[a-z]+\\.[a-z]+\\d+@example\\.[a-z]+"));
    }
}
