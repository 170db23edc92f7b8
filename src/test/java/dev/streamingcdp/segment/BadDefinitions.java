package dev.streamingcdp.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the shipped demo definitions with one edit, for the error tests. */
final class BadDefinitions {

    private BadDefinitions() {}

    static void copyDemo(Path jobDir) throws IOException {
        Files.createDirectories(jobDir.resolve("segments"));
        try (Stream<Path> files = Files.list(SegmentCatalogTest.DEMO.resolve("segments"))) {
            for (Path f : files.toList()) {
                Files.copy(f, jobDir.resolve("segments").resolve(f.getFileName()));
            }
        }
        Files.copy(SegmentCatalogTest.DEMO.resolve("computed-traits.yaml"), jobDir.resolve("computed-traits.yaml"));
    }

    static void edit(Path jobDir, String file, String from, String to) throws IOException {
        Path path = jobDir.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }
}
