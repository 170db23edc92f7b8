package dev.streamingcdp.fuzz;

import dev.streamingcdp.testing.TestPipelines;

/** One generated Kafka record (value may be null: a tombstone) and how it was made. */
record FuzzInput(String topic, String key, byte[] value, Mutation mutation) {

    TestPipelines.Input toInput() {
        return new TestPipelines.Input(topic, key, value);
    }
}
