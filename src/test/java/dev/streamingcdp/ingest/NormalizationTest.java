package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NormalizationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jane@example.com            | jane@example.com",
        "' Jane.Doe@Example.COM '    | jane.doe@example.com",
        "JANE+shop@EXAMPLE.co.uk     | jane+shop@example.co.uk",
        "'\tjane@example.com\n'      | jane@example.com"})
    void emailsAreTrimmedAndLowerCased(String raw, String expected) {
        assertThat(Emails.normalize(raw)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "jane", "jane@", "@example.com", "jane@example", "ja ne@example.com", "a@b@c.com"})
    void thingsThatAreNotAddressesAreNotEmailIdentifiers(String raw) {
        assertThat(Emails.normalize(raw)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // raw                      | default region | E.164
        "(415) 555-2671             | US | +14155552671",
        "415.555.2671               | US | +14155552671",
        "+1 415 555 2671            | DE | +14155552671",
        "020 7946 0018              | GB | +442079460018",
        "+44 (0)20 7946 0018        | US | +442079460018",
        "030 123456                 | DE | +4930123456",
        "0049 30 123456             | DE | +4930123456",
        "01 42 68 53 00             | FR | +33142685300",
        "+33 1 42 68 53 00          | US | +33142685300",
        "03-1234-5678               | JP | +81312345678",
        "+61 2 9374 4000            | US | +61293744000"})
    void phonesBecomeE164InTheirCountry(String raw, String region, String expected) {
        assertThat(Phones.normalize(raw, region)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a phone", "123", "+1 000 000 0000", "555-0100-0000-0000-00"})
    void invalidPhonesAreNotIdentifiers(String raw) {
        assertThat(Phones.normalize(raw, "US")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-23T10:15:00Z             | 2026-11-23T10:15:00Z",
        "2026-11-23T10:15:00.123Z         | 2026-11-23T10:15:00.123Z",
        "2026-11-23T12:15:00+02:00        | 2026-11-23T10:15:00Z",
        "2026-11-23T05:15:00-0500         | 2026-11-23T10:15:00Z",
        "2026-11-23T10:15:00.123456+00:00 | 2026-11-23T10:15:00.123456Z",
        "2026-11-24T00:45:00+14:30        | 2026-11-23T10:15:00Z"})
    void timestampsWithOffsetsBecomeUtcInstants(String raw, String expected) throws RejectException {
        assertThat(Timestamps.parse(raw)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-11-23T10:15:00", "2026-11-23", "1764000000000", "2026-13-01T00:00:00Z",
        "1999-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z"})
    void timestampsWithoutOffsetOrOutOfRangeAreRejected(String raw) {
        assertThatThrownBy(() -> Timestamps.parse(raw))
                .isInstanceOfSatisfying(RejectException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_TIMESTAMP));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Loyalty ID | loyalty_id", "crm_id | crm_id", " CRM-Id  | crm_id"})
    void externalIdTypesBecomeNamespaces(String type, String namespace) {
        assertThat(EventNormalizer.namespace(type)).isEqualTo(namespace);
    }
}
