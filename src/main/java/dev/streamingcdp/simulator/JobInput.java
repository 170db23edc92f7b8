package dev.streamingcdp.simulator;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.config.JobDefinition.Format;
import dev.streamingcdp.config.JobDefinition.InputTopic;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What the simulator needs to know about the job's input: where JSON and Avro events go (the first input topic of
 * each format; either may be absent), the payload size limit, and the region the job assumes for phone numbers
 * written without a country code.
 */
public record JobInput(String jsonTopic, String avroTopic, int maxPayloadBytes, String defaultPhoneRegion) {

    /** The largest valid event is well below this; a smaller limit would turn valid events into too_large ones. */
    static final int MIN_PAYLOAD_LIMIT = 4096;

    public JobInput {
        if (jsonTopic == null && avroTopic == null) {
            throw new IllegalArgumentException("the job has no JSON or Avro input topic");
        }
        if (maxPayloadBytes < MIN_PAYLOAD_LIMIT) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least " + MIN_PAYLOAD_LIMIT
                    + " for the simulator's valid events to fit, was " + maxPayloadBytes);
        }
    }

    public static JobInput of(JobDefinition job) {
        return new JobInput(firstTopic(job, Format.JSON), firstTopic(job, Format.AVRO),
                job.ingest().maxPayloadBytes(), job.ingest().defaultPhoneRegion());
    }

    private static String firstTopic(JobDefinition job, Format format) {
        return job.topics().events().stream().filter(t -> t.format() == format).map(InputTopic::name)
                .findFirst().orElse(null);
    }

    /** The topics the simulator writes to. */
    public List<String> topics() {
        return Stream.of(jsonTopic, avroTopic).filter(Objects::nonNull).toList();
    }

    boolean has(Format format) {
        return topic(format) != null;
    }

    String topic(Format format) {
        return format == Format.JSON ? jsonTopic : avroTopic;
    }

    /** Avro for about {@code avroShare} of the events when the job has both topics, else the one it has. */
    Format pick(Random random, double avroShare) {
        if (avroTopic == null) {
            return Format.JSON;
        }
        if (jsonTopic == null) {
            return Format.AVRO;
        }
        return random.nextDouble() < avroShare ? Format.AVRO : Format.JSON;
    }
}
