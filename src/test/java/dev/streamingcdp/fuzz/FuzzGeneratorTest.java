package dev.streamingcdp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.ingest.AvroEventDecoder;
import dev.streamingcdp.ingest.EventValidator;
import dev.streamingcdp.ingest.JsonEventDecoder;
import dev.streamingcdp.ingest.RejectException;
import dev.streamingcdp.ingest.avro.SegmentEvent;
import dev.streamingcdp.testing.TestJobs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FuzzGeneratorTest {

    private static final JobDefinition JOB = TestJobs.retailDemo("127.0.0.1:1", "fuzz", Path.of("unused"));

    @Test
    void theSameSeedGivesTheSameInputs() {
        List<FuzzInput> a = new FuzzGenerator(7, JOB).generate(3000);
        List<FuzzInput> b = new FuzzGenerator(7, JOB).generate(3000);

        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).mutation()).isEqualTo(a.get(i).mutation());
            assertThat(b.get(i).topic()).isEqualTo(a.get(i).topic());
            assertThat(b.get(i).key()).isEqualTo(a.get(i).key());
            assertThat(Arrays.equals(b.get(i).value(), a.get(i).value())).as("value of input %d", i).isTrue();
        }
    }

    @Test
    void everyKindIsMadeAndOnlyDeliberateReSendsShareAMessageId() {
        List<FuzzInput> inputs = new FuzzGenerator(11, JOB).generate(5000);

        Set<Mutation> kinds = EnumSet.noneOf(Mutation.class);
        Set<String> ids = new HashSet<>();
        for (FuzzInput input : inputs) {
            kinds.add(input.mutation());
            if (input.mutation() != Mutation.DUPLICATE && input.value() != null) {
                String id = validMessageId(input);
                if (id != null) {
                    assertThat(ids.add(id)).as("messageId %s of a %s input is new", id, input.mutation()).isTrue();
                }
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(Mutation.values());
    }

    /** The id the de-duplication would key on, if the job accepts the input. */
    private static String validMessageId(FuzzInput input) {
        try {
            SegmentEvent e = input.topic().endsWith("avro")
                    ? AvroEventDecoder.decode(input.value()) : JsonEventDecoder.decode(input.value());
            EventValidator.validate(e);
            return e.getMessageId().trim();
        } catch (RejectException e) {
            return null;
        }
    }
}
