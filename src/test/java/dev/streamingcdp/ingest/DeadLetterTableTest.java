package dev.streamingcdp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README's table of dead-letter reasons is {@link RejectReason}'s, row for row: one list, not two that drift. */
class DeadLetterTableTest {

    private static final String START = "<!-- reject-reasons: start -->";
    private static final String END = "<!-- reject-reasons: end -->";

    @Test
    void readmeListsExactlyTheReasonsOfTheCode() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf(START);
        int end = lines.indexOf(END);
        assertThat(start).as("README marks its reason table with " + START).isNotNegative();
        assertThat(end).isGreaterThan(start);
        List<String> rows = lines.subList(start + 3, end); // after the marker, the header and its rule

        assertThat(String.join("\n", rows)).as("README's reason table (expected: generated from RejectReason)")
                .isEqualTo(String.join("\n", expectedRows()));
    }

    static List<String> expectedRows() {
        return Arrays.stream(RejectReason.values())
                .map(r -> "| `" + r.code() + "` | " + r.meaning() + " | "
                        + r.origins().stream().map(RejectReason.Origin::label).collect(Collectors.joining(", "))
                        + " |")
                .toList();
    }
}
