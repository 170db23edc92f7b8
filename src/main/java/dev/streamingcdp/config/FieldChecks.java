package dev.streamingcdp.config;

import java.time.Duration;
import org.apache.flink.configuration.MemorySize;

/** The checks every job.yaml field goes through: each failure names the field. */
final class FieldChecks {

    private FieldChecks() {}

    /** Present but empty in YAML (e.g. "kafka:" with nothing under it) arrives as null. */
    static void required(String field, Object value) {
        if (value == null) {
            throw ConfigException.field(field, "is required");
        }
    }

    static void positive(String field, Integer value) {
        required(field, value);
        if (value <= 0) {
            throw ConfigException.field(field, "must be greater than 0, was " + value);
        }
    }

    static void positive(String field, Duration value) {
        required(field, value);
        if (value.isNegative() || value.isZero()) {
            throw ConfigException.field(field, "must be longer than 0");
        }
    }

    static void share(String field, Double value) {
        required(field, value);
        if (!(value > 0 && value <= 1)) {
            throw ConfigException.field(field, "must be more than 0 and at most 1, was " + value);
        }
    }

    static void memorySize(String field, String value) {
        required(field, value);
        try {
            MemorySize.parse(value);
        } catch (IllegalArgumentException e) {
            throw ConfigException.field(field, "'" + value + "' is not a memory size (e.g. 512mb)");
        }
    }

    static void notBlank(String field, String value) {
        required(field, value);
        if (value.isBlank()) {
            throw ConfigException.field(field, "must not be blank");
        }
    }
}
