package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.ingest.avro.IngestRecord;
import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * An event whose timestamp is far ahead of its Kafka record's (a wrong client clock) is refused at normalisation and
 * never moves event time; a little ahead, or without a Kafka timestamp to compare with, it passes.
 */
class IngestClockTest {

    private static final Duration MAX_AHEAD = Duration.ofHours(1);
    private static final Instant WRITTEN = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void anEventTooFarAheadOfItsKafkaRecordIsADeadLetterAndNoEventTime() throws Exception {
        IngestRecord record = record(WRITTEN.plus(Duration.ofHours(2)), WRITTEN.toEpochMilli());

        assertThat(new EventTimeAssigner(MAX_AHEAD).extractTimestamp(record, WRITTEN.toEpochMilli()))
                .isEqualTo(Long.MIN_VALUE);
        try (var harness = normalize()) {
            harness.processElement(new StreamRecord<>(record));
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.getSideOutput(DeadLetters.TAG)).singleElement().satisfies(r -> {
                DeadLetter d = r.getValue();
                assertThat(d.getReason()).isEqualTo(RejectReason.BAD_TIMESTAMP.code());
                assertThat(d.getDetail()).contains("more than PT1H ahead", WRITTEN.toString());
            });
        }
    }

    @Test
    void anEventWithinTheBoundPasses() throws Exception {
        Instant eventTime = WRITTEN.plus(Duration.ofMinutes(59));
        IngestRecord record = record(eventTime, WRITTEN.toEpochMilli());

        assertThat(new EventTimeAssigner(MAX_AHEAD).extractTimestamp(record, WRITTEN.toEpochMilli()))
                .isEqualTo(eventTime.toEpochMilli());
        try (var harness = normalize()) {
            harness.processElement(new StreamRecord<>(record));
            assertThat(harness.extractOutputValues()).extracting(CdpEvent::getEventTime).containsExactly(eventTime);
            assertThat(harness.getSideOutput(DeadLetters.TAG)).isNull();
        }
    }

    @Test
    void aRecordWithoutKafkaTimestampIsNotJudged() throws Exception {
        Instant eventTime = Instant.parse("2099-01-01T00:00:00Z");
        IngestRecord record = record(eventTime, -1);

        assertThat(new EventTimeAssigner(MAX_AHEAD).extractTimestamp(record, -1)).isEqualTo(eventTime.toEpochMilli());
        try (var harness = normalize()) {
            harness.processElement(new StreamRecord<>(record));
            assertThat(harness.extractOutputValues()).extracting(CdpEvent::getEventTime).containsExactly(eventTime);
        }
    }

    private static OneInputStreamOperatorTestHarness<IngestRecord, CdpEvent> normalize() throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new NormalizeFunction(
                new EventNormalizer("US", "anonymous_id", 1000, 256, MAX_AHEAD))));
        harness.open();
        return harness;
    }

    private static IngestRecord record(Instant eventTime, long kafkaTimestamp) throws Exception {
        String json = "{\"type\":\"track\",\"event\":\"Order Completed\",\"messageId\":\"m1\",\"anonymousId\":\"a1\","
                + "\"timestamp\":\"" + eventTime + "\"}";
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        return IngestDeserializerTest.deserialize(new ConsumerRecord<>("events", 0, 1L, kafkaTimestamp,
                kafkaTimestamp < 0 ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME, 0, value.length,
                null, value, new RecordHeaders(), Optional.empty()));
    }
}
