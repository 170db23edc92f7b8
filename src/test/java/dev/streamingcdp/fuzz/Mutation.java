package dev.streamingcdp.fuzz;

/** What the fuzzer did to one input, and so what the job must make of it. */
enum Mutation {
    /** A valid event sent unchanged: it must arrive on the enriched topic. */
    GOOD(Expect.ENRICHED),
    /** An exact re-send of an earlier GOOD event (same topic, key, bytes): the de-duplication must drop it. */
    DUPLICATE(Expect.DROPPED),
    TRUNCATED(Expect.ONE_OUTCOME),
    WRONG_TYPE(Expect.ONE_OUTCOME),
    HUGE_STRING(Expect.ONE_OUTCOME),
    DEEP_NESTING(Expect.ONE_OUTCOME),
    ODD_UNICODE(Expect.ONE_OUTCOME),
    INVALID_UTF8(Expect.ONE_OUTCOME),
    EXTREME_TIMESTAMP(Expect.ONE_OUTCOME),
    MISSING_ID(Expect.ONE_OUTCOME),
    /** Empty records and JSON that is not an object ("null", "[]", "42" ...). */
    NOT_AN_OBJECT(Expect.ONE_OUTCOME),
    RANDOM_BYTES(Expect.ONE_OUTCOME),
    /** A null value (a Kafka tombstone), with or without a key. */
    TOMBSTONE(Expect.ONE_OUTCOME),
    /** Valid Avro single-object bytes, then cut, flipped, overwritten or with a wrong header. */
    AVRO_CORRUPT(Expect.ONE_OUTCOME),
    /** Well-formed Avro whose field values are odd (blank ids, odd Unicode, extreme times, NaN, odd namespaces). */
    AVRO_ODD_FIELDS(Expect.ONE_OUTCOME),
    /** Avro bytes on the JSON topic, JSON bytes on the Avro topic. */
    WRONG_TOPIC(Expect.ONE_OUTCOME);

    /** What must come out for an input of this kind. */
    enum Expect {
        /** exactly one enriched event */
        ENRICHED,
        /** nothing at all (a counted duplicate) */
        DROPPED,
        /** exactly one enriched event or exactly one dead letter with a reason */
        ONE_OUTCOME
    }

    final Expect expect;

    Mutation(Expect expect) {
        this.expect = expect;
    }
}
