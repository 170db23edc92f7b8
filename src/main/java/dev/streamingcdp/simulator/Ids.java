package dev.streamingcdp.simulator;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Random choices drawn from the seeded Random only, so that a seed reproduces every id. */
final class Ids {

    private Ids() {}

    /** A version-4 UUID, as analytics libraries use for messageId and anonymousId. */
    static String uuid(Random random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static boolean chance(Random random, double probability) {
        return random.nextDouble() < probability;
    }
}
