package dev.streamingcdp.simulator;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Mobile numbers that libphonenumber accepts as valid, and the many ways people type them, so that the job's phone
 * normalisation sees one E.164 number behind differently written ones.
 */
final class Phones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    /** Leading national digits per region, and the national number length that goes with them. */
    private static final Map<String, List<String>> PREFIXES = Map.of(
            "US", List.of("212", "310", "415", "617", "312", "206"),
            "GB", List.of("7700", "7911", "7400", "7520"),
            "DE", List.of("151", "160", "176"),
            "FR", List.of("6", "7"));
    private static final Map<String, Integer> NATIONAL_LENGTH = Map.of("US", 10, "GB", 10, "DE", 11, "FR", 9);

    /** Random digits rarely make an invalid number; this bound only guards against a bad prefix table. */
    private static final int MAX_ATTEMPTS = 1000;

    private Phones() {}

    /** A valid mobile number of {@code region} not in {@code taken}, in E.164. */
    static String randomMobile(String region, Random random, Set<String> taken) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            StringBuilder digits = new StringBuilder(Ids.pick(random, PREFIXES.get(region)));
            while (digits.length() < NATIONAL_LENGTH.get(region)) {
                digits.append(random.nextInt(10));
            }
            PhoneNumber number = parse(digits.toString(), region);
            String e164 = UTIL.format(number, PhoneNumberFormat.E164);
            // For the region itself: some +44 7 numbers are Jersey's or Guernsey's.
            if (UTIL.isValidNumberForRegion(number, region) && taken.add(e164)) {
                return e164;
            }
        }
        throw new IllegalStateException("no valid " + region + " mobile number after " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * The number as someone might type it. The national format (no country code) is used only for numbers of the
     * job's default region: that is the only case where the job can tell which country it belongs to.
     */
    static String asTyped(String e164, String defaultRegion, Random random) {
        PhoneNumber number = parse(e164, null);
        boolean home = defaultRegion.equals(UTIL.getRegionCodeForNumber(number));
        return switch (random.nextInt(home ? 5 : 4)) {
            case 0 -> e164;
            case 1 -> UTIL.format(number, PhoneNumberFormat.INTERNATIONAL);
            case 2 -> UTIL.format(number, PhoneNumberFormat.INTERNATIONAL).replace(' ', '-');
            case 3 -> UTIL.format(number, PhoneNumberFormat.RFC3966);
            default -> UTIL.format(number, PhoneNumberFormat.NATIONAL);
        };
    }

    private static PhoneNumber parse(String text, String region) {
        try {
            return UTIL.parse(text, region);
        } catch (NumberParseException e) {
            throw new IllegalStateException("cannot parse generated phone number " + text, e);
        }
    }
}
