package dev.streamingcdp.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sinks' producers batch more than Kafka's defaults, and kafka.properties still has the last word. */
class SinkPropertiesTest {

    private static JobDefinition.Kafka kafka(Map<String, String> properties) {
        return new JobDefinition.Kafka("127.0.0.1:9092", "group", "tx", null, Duration.ofMinutes(10), properties);
    }

    @Test
    void sinksLingerAndBatchMoreThanKafkasDefaults() {
        assertThat(KafkaIO.sinkProperties(kafka(Map.of())))
                .containsEntry("linger.ms", "25")
                .containsEntry("batch.size", "131072")
                .containsEntry("max.block.ms", "10000")
                .containsEntry("transaction.timeout.ms", "600000");
    }

    @Test
    void kafkaPropertiesOverrideTheBatching() {
        assertThat(KafkaIO.sinkProperties(kafka(Map.of("linger.ms", "0", "batch.size", "16384"))))
                .containsEntry("linger.ms", "0")
                .containsEntry("batch.size", "16384");
    }
}
