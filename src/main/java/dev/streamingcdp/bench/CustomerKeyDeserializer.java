package dev.streamingcdp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The baseline's parse step: reads the whole JSON document (as the full job's decoder does) and keeps the customer it
 * belongs to. Records that do not parse still count, under one key, so both jobs consume the same input.
 */
final class CustomerKeyDeserializer implements KafkaRecordDeserializationSchema<String> {

    static final String UNPARSABLE = "-unparsable-";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
        out.collect(customer(record.value()));
    }

    static String customer(byte[] value) {
        try {
            JsonNode event = JSON.readTree(value);
            if (event != null && event.isObject()) {
                for (String field : new String[] {"userId", "anonymousId", "previousId"}) {
                    if (event.path(field).isTextual()) {
                        return event.get(field).asText();
                    }
                }
            }
        } catch (IOException e) {
            // falls through: counted under UNPARSABLE
        }
        return UNPARSABLE;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
