package dev.streamingcdp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evolved jar the savepoint upgrade test runs: ProfileState has the new field, and nothing else changed. */
class EvolvedJobJarIT {

    private static final Path JOB_JAR = Path.of("target/streaming-cdp.jar");

    @TempDir
    static Path dir;

    private static Path evolved;

    @BeforeAll
    static void writeEvolvedJar() throws IOException {
        evolved = EvolvedJobJar.write(JOB_JAR, EvolvedJobJar.COMPATIBLE_FIELD, dir);
    }

    @Test
    void generatesTheSourcesTheBuildGenerates() throws IOException {
        Path generated = EvolvedJobJar.generate(null, dir.resolve("as-built"));
        Path file = Path.of("dev/streamingcdp/model/ProfileState.java");

        assertThat(generated.resolve(file)).hasSameTextualContentAs(
                Path.of("target/generated-sources/avro").resolve(file));
    }

    @Test
    void theEvolvedProfileStateHasTheNewFieldWithItsDefault() throws Exception {
        Schema before = schemaOf(JOB_JAR, EvolvedJobJar.EVOLVED_CLASS);
        Schema after = schemaOf(evolved, EvolvedJobJar.EVOLVED_CLASS);

        assertThat(before.getField("upgradedAt")).isNull();
        Schema.Field added = after.getField("upgradedAt");
        assertThat(added).isNotNull();
        assertThat(added.hasDefaultValue()).isTrue();
        assertThat(after.getFields()).hasSize(before.getFields().size() + 1);
        assertThat(after.getFields().get(after.getFields().size() - 1)).isEqualTo(added);
    }

    @Test
    void onlyTheClassesOfRecordsThatHoldAProfileStateChanged() throws Exception {
        Set<String> replaced = EvolvedJobJar.replacedEntries(dir);
        List<String> different = new ArrayList<>();
        try (ZipFile original = new ZipFile(JOB_JAR.toFile()); ZipFile copy = new ZipFile(evolved.toFile())) {
            assertThat(Collections.list(copy.entries()).stream().map(ZipEntry::getName))
                    .containsExactlyElementsOf(Collections.list(original.entries()).stream()
                            .map(ZipEntry::getName).toList());
            for (ZipEntry entry : Collections.list(original.entries())) {
                if (!Arrays.equals(bytes(original, entry), bytes(copy, copy.getEntry(entry.getName())))) {
                    different.add(entry.getName());
                }
            }
        }

        assertThat(replaced).contains("dev/streamingcdp/model/ProfileState.class",
                "dev/streamingcdp/model/ProfileState$Builder.class");
        assertThat(different).containsExactlyInAnyOrderElementsOf(replaced);
        for (String entry : replaced) {
            if (!entry.contains("$")) {
                String type = entry.replace('/', '.').replace(".class", "");
                assertThat(schemaOf(JOB_JAR, type).toString()).as(type).contains("\"ProfileState\"");
                assertThat(schemaOf(evolved, type).toString()).as(type).contains("\"upgradedAt\"");
            }
        }
    }

    @Test
    void everyRecordThatHoldsAProfileStateWasReplaced() throws Exception {
        Set<String> replaced = EvolvedJobJar.replacedEntries(dir);
        List<String> holders = new ArrayList<>();
        try (ZipFile original = new ZipFile(JOB_JAR.toFile())) {
            for (ZipEntry entry : Collections.list(original.entries())) {
                String name = entry.getName();
                // the test classpath holds the same project classes as the jar, with Flink to link them against
                if (name.startsWith("dev/streamingcdp/") && name.endsWith(".class") && !name.contains("$")
                        && holdsProfileState(Class.forName(name.replace('/', '.').replace(".class", ""), false,
                                getClass().getClassLoader()))) {
                    holders.add(name);
                }
            }
        }

        assertThat(holders).contains("dev/streamingcdp/model/ProfileState.class").hasSizeGreaterThan(1)
                .allMatch(replaced::contains);
    }

    private static boolean holdsProfileState(Class<?> type) throws IllegalAccessException {
        try {
            return type.getField("SCHEMA$").get(null).toString().contains("\"name\":\"ProfileState\"");
        } catch (NoSuchFieldException notGenerated) {
            return false;
        }
    }

    private static byte[] bytes(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /** The SCHEMA$ of a generated class as that jar defines it (not the test classpath's copy). */
    private static Schema schemaOf(Path jar, String type) throws Exception {
        try (URLClassLoader loader = new ProjectClassesFirst(jar)) {
            return (Schema) loader.loadClass(type).getField("SCHEMA$").get(null);
        }
    }

    /** Project classes from the jar; Avro, slf4j and the rest from the test classpath, as on the cluster. */
    private static final class ProjectClassesFirst extends URLClassLoader {
        ProjectClassesFirst(Path jar) throws IOException {
            super(new URL[] {jar.toUri().toURL()}, EvolvedJobJarIT.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.streamingcdp.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
