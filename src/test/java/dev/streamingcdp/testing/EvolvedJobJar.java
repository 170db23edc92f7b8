package dev.streamingcdp.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.apache.avro.Schema;
import org.apache.avro.compiler.specific.SpecificCompiler;
import org.apache.avro.generic.GenericData;
import org.w3c.dom.NodeList;

/**
 * The next release of the job as far as its state goes: a copy of the job jar in which the profile state record
 * (schemas/profile-state.avsc, kept in the profile operator's keyed state) has one more field. The Avro classes are
 * generated as the build's avro-maven-plugin generates them, with and without the field; the classes whose source
 * differs (ProfileState and the records that embed it) are compiled against the jar and replace theirs in the copy.
 * Every other entry of the jar stays byte for byte the same.
 */
public final class EvolvedJobJar {

    /** What a release may add: a field with a default, so state written without it still reads. */
    public static final String COMPATIBLE_FIELD =
            "{\"name\":\"upgradedAt\",\"type\":[\"null\",\"long\"],\"default\":null}";
    /** A break: without a default, state written before the field cannot be read into the new record. */
    public static final String INCOMPATIBLE_FIELD = "{\"name\":\"upgradedAt\",\"type\":\"long\"}";

    public static final String EVOLVED_CLASS = "dev.streamingcdp.model.ProfileState";

    private static final Path SCHEMAS = Path.of("schemas");
    private static final String EVOLVED_SCHEMA = "profile-state.avsc";

    private EvolvedJobJar() {}

    /**
     * Writes {@code dir/streaming-cdp-evolved.jar}: {@code jobJar} with {@code newField} (an Avro field as JSON)
     * appended to ProfileState. Returns the jar; the replaced entries are listed by {@link #replacedEntries}.
     */
    public static Path write(Path jobJar, String newField, Path dir) throws IOException {
        Path before = generate(null, dir.resolve("generated-before"));
        Path after = generate(newField, dir.resolve("generated-after"));
        List<Path> changed = changedSources(before, after);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        compile(jobJar, changed, classes);
        Path evolved = dir.resolve("streaming-cdp-evolved.jar");
        replaceClasses(jobJar, classes, evolved);
        return evolved;
    }

    /** The jar entries that {@link #write} replaced: the class files compiled into {@code dir/classes}. */
    public static Set<String> replacedEntries(Path dir) throws IOException {
        Path classes = dir.resolve("classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> classes.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Java sources for every schema, as the build generates them; with {@code newField}, ProfileState has it. */
    static Path generate(String newField, Path out) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (Path file : schemaFiles()) {
            String json = Files.readString(file);
            if (newField != null && file.getFileName().toString().equals(EVOLVED_SCHEMA)) {
                json = withField(json, newField);
            }
            SpecificCompiler compiler = new SpecificCompiler(parser.parse(json));
            compiler.setStringType(GenericData.StringType.String);
            compiler.setEnableDecimalLogicalType(true);
            compiler.compileToDestination(null, out.toFile());
        }
        return out;
    }

    private static String withField(String schemaJson, String fieldJson) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode schema = (ObjectNode) json.readTree(schemaJson);
        ((ArrayNode) schema.get("fields")).add(json.readTree(fieldJson));
        return json.writeValueAsString(schema);
    }

    /**
     * The plugin's order: its {@code <imports>} first, in the order pom.xml lists them (later schemas name types
     * they define), then the remaining .avsc files.
     */
    private static List<Path> schemaFiles() throws IOException {
        Set<Path> files = new LinkedHashSet<>(pluginImports());
        try (Stream<Path> all = Files.list(SCHEMAS)) {
            all.filter(f -> f.toString().endsWith(".avsc")).sorted().forEach(files::add);
        }
        return new ArrayList<>(files);
    }

    private static List<Path> pluginImports() {
        try {
            var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
            NodeList imports = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
                    "//plugin[artifactId='avro-maven-plugin']//imports/import", pom, XPathConstants.NODESET);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < imports.getLength(); i++) {
                String path = imports.item(i).getTextContent().trim().replace("${project.basedir}/", "");
                files.add(Path.of(path));
            }
            if (files.isEmpty()) {
                throw new IllegalStateException("pom.xml lists no avro-maven-plugin <imports>");
            }
            return files;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the avro-maven-plugin imports from pom.xml", e);
        }
    }

    private static List<Path> changedSources(Path before, Path after) throws IOException {
        try (Stream<Path> files = Files.walk(after)) {
            List<Path> changed = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                Path old = before.resolve(after.relativize(f));
                try {
                    return !Files.exists(old) || Files.mismatch(old, f) != -1;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
            if (changed.isEmpty()) {
                throw new IllegalStateException("the new field changed no generated class");
            }
            return changed;
        }
    }

    private static void compile(Path jobJar, List<Path> sources, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(Arrays.asList("--release", "17", "-proc:none", "-nowarn",
                "-encoding", "UTF-8", "-classpath", jobJar.toString(), "-d", classes.toString()));
        sources.forEach(s -> args.add(s.toString()));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, errors, errors, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed for " + sources + ":\n" + errors);
        }
    }

    private static void replaceClasses(Path jobJar, Path classes, Path evolved) throws IOException {
        Set<String> compiled = replacedEntries(classes.getParent());
        Set<String> replaced = new LinkedHashSet<>();
        try (ZipFile in = new ZipFile(jobJar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(evolved))) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                if (compiled.contains(entry.getName())) {
                    Files.copy(classes.resolve(entry.getName()), out);
                    replaced.add(entry.getName());
                } else {
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
        if (!replaced.equals(compiled)) {
            compiled.removeAll(replaced);
            throw new IllegalStateException("classes not in the job jar (a new class, not a changed one): " + compiled);
        }
    }
}
