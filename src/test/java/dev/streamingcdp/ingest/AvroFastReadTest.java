package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.model.CdpEvent;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.model.SourceRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * The tests run with Avro's fast reader, as bin/cdp and the cluster run the job (pom.xml's argLine), and an event
 * with every kind of trait value, a logical-type timestamp and nested records decodes through it unchanged.
 */
class AvroFastReadTest {

    @Test
    void eventsDecodeThroughTheFastReader() throws Exception {
        assertThat(SpecificData.getForClass(CdpEvent.class).isFastReaderEnabled())
                .as("-Dorg.apache.avro.fastread=true in this JVM").isTrue();
        Map<String, Object> traits = new LinkedHashMap<>();
        traits.put("plan", "gold");
        traits.put("visits", 12L);
        traits.put("ltv", 310.5);
        traits.put("vip", true);
        traits.put("gone", null);
        CdpEvent event = CdpEvent.newBuilder().setMessageId("m1").setType("identify")
                .setEventTime(Instant.parse("2026-11-23T10:15:00.123Z")).setEvent("Signed Up").setChannel("web")
                .setIdentifiers(List.of(new Identifier("email", "ann@example.com"), new Identifier("anonymous_id", "c1")))
                .setTraits(traits).setProperties(Map.of("price", 9.99)).setConsent(Map.of("marketing", true))
                .setSource(new SourceRef("cdp.events.json", 3, 42L, 1_764_000_000_000L)).build();

        TypeSerializer<CdpEvent> serializer = new AvroTypeInfo<>(CdpEvent.class)
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(event, out);
        CdpEvent reused = serializer.createInstance();
        for (int i = 0; i < 2; i++) { // the second read reuses the first one's object, as the job's edges do
            reused = serializer.deserialize(reused, new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(reused).isEqualTo(event);
        }
    }
}
