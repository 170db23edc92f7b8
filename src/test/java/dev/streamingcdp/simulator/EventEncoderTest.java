package dev.streamingcdp.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventEncoderTest {

    @Test
    void avroFlattensNestedObjectsAndWritesListsAsJson() throws Exception {
        ObjectNode event = (ObjectNode) new ObjectMapper().readTree("""
                {"type": "track", "messageId": "m-1", "timestamp": "2025-06-01T09:00:00.000+02:00",
                 "userId": "cust-000001", "event": "Order Completed",
                 "properties": {"revenue": 24.5, "count": 2, "gift": false, "note": null,
                                "address": {"city": "Paris", "geo": {"lat": 48.85}},
                                "products": [{"product_id": "sku-1"}]},
                 "context": {"library": {"name": "analytics.js"},
                             "device": {"id": "d-1", "type": "ios"},
                             "externalIds": [{"id": "LOY-1", "type": "loyalty_id"}],
                             "consent": {"categoryPreferences": {"marketing": true, "advertising": false}}}}
                """);
        SegmentEvent decoded = SegmentEvent.getDecoder().decode(EventEncoder.avro(event));

        assertThat(decoded.getType()).isEqualTo("track");
        assertThat(decoded.getTimestamp()).isEqualTo("2025-06-01T09:00:00.000+02:00");
        Map<String, Object> props = decoded.getProperties();
        assertThat(props).containsEntry("revenue", 24.5).containsEntry("count", 2L).containsEntry("gift", false)
                .containsEntry("note", null).containsEntry("address.city", "Paris")
                .containsEntry("address.geo.lat", 48.85).containsEntry("products", "[{\"product_id\":\"sku-1\"}]");
        assertThat(decoded.getContext().getDevice().getId()).isEqualTo("d-1");
        assertThat(decoded.getContext().getExternalIds().get(0).getType()).isEqualTo("loyalty_id");
        assertThat(decoded.getContext().getConsent().getCategoryPreferences())
                .containsEntry("marketing", true).containsEntry("advertising", false);
    }
}
