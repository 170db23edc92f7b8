package dev.streamingcdp.segment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamingcdp.kafka.Json;
import dev.streamingcdp.model.SegmentChange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/** The segment-changes topic's JSON (key = profile id): the output contract's shape, before activation. */
public final class SegmentChangeJson {

    private SegmentChangeJson() {}

    public static byte[] key(SegmentChange c) {
        return c.getProfileId().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(SegmentChange c, Instant emittedAt) {
        ObjectNode json = Json.object().put("type", "segment." + c.getType().toLowerCase(Locale.ROOT));
        json.putObject("segment").put("id", c.getSegmentId()).put("version", c.getVersion());
        json.put("profileId", c.getProfileId())
                .put("occurredAt", Instant.ofEpochMilli(c.getOccurredAt()).toString())
                .put("emittedAt", emittedAt.toString())
                .put("sequence", c.getSequence());
        var destinations = json.putArray("destinations");
        c.getDestinations().forEach(destinations::add);
        if (c.getConsent() != null) {
            json.put("consent", c.getConsent());
        }
        json.set("reason", Json.parse(c.getReason()));
        return Json.bytes(json);
    }
}
