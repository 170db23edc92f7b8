package dev.streamingcdp.simulator;

import dev.streamingcdp.config.JobDefinition.Format;

/**
 * One Kafka record as the simulator sends it, with what the job should make of it.
 *
 * @param topic     the input topic it goes to
 * @param format    that topic's format
 * @param key       the record key: the customer's id, so one customer's events stay in order on one partition;
 *                  null for records that carry no identifier at all
 * @param value     the exact payload bytes (compare with {@link java.util.Arrays#equals(byte[], byte[])})
 * @param kind      valid, duplicate or malformed, with the event type or the expected reject code
 * @param messageId the event's messageId for valid records and duplicates (a duplicate repeats its original's);
 *                  null for malformed records
 */
public record SimulatedRecord(String topic, Format format, String key, byte[] value, RecordKind kind,
        String messageId) {}
