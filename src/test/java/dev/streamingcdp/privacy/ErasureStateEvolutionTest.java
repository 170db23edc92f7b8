package dev.streamingcdp.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.identity.avro.IdentityNode;
import dev.streamingcdp.privacy.avro.ErasureMarker;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * The erasure's tombstone fields (IdentityNode) and her namespace counts (ErasureMarker) are new fields of state types:
 * state written before them must read with them (Flink's Avro serializer migrates it on restore when the reader
 * schema can resolve the writer's). The writer schemas are those of the previous release, as they were.
 */
class ErasureStateEvolutionTest {

    private static final String IDENTIFIER = """
            {"type": "record", "name": "Identifier", "namespace": "dev.streamingcdp.model", "fields": [
              {"name": "namespace", "type": {"type": "string", "avro.java.string": "String"}},
              {"name": "value", "type": {"type": "string", "avro.java.string": "String"}}]}""";

    private static final String NODE_BEFORE = """
            {"type": "record", "name": "IdentityNode", "namespace": "dev.streamingcdp.identity.avro", "fields": [
              {"name": "profileId", "type": ["null", "string"], "default": null},
              {"name": "label", "type": ["null", %s], "default": null},
              {"name": "userIds", "type": {"type": "array", "items": "string"}, "default": []},
              {"name": "shared", "type": "boolean", "default": false}]}""".formatted(IDENTIFIER);

    private static final String MARKER_BEFORE = """
            {"type": "record", "name": "ErasureMarker", "namespace": "dev.streamingcdp.privacy.avro", "fields": [
              {"name": "requestId", "type": "string"},
              {"name": "requestedAt", "type": "long"},
              {"name": "until", "type": "long"}]}""";

    @Test
    void stateWrittenBeforeTheTombstonesReadsWithThem() {
        assertThat(compatibility(IdentityNode.getClassSchema(), NODE_BEFORE))
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(compatibility(ErasureMarker.getClassSchema(), MARKER_BEFORE))
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static SchemaCompatibilityType compatibility(Schema reader, String writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, new Schema.Parser().parse(writer)).getType();
    }
}
