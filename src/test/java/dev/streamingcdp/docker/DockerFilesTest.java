package dev.streamingcdp.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamingcdp.cli.Cdp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * No Docker engine runs where the tests run, so this checks what can be checked without one: that docker/compose.yaml
 * and docker/Dockerfile fit the repository (paths, versions, the job's command line) and keep the rules (ports on
 * 127.0.0.1 only, start order by health).
 */
class DockerFilesTest {

    private static final Path DOCKER = Path.of("docker");
    private static final String CDP = "/opt/cdp/bin/cdp";
    private static final String SUBMIT = "/opt/cdp/bin/submit-job";

    private static JsonNode compose;
    private static JsonNode services;
    private static Dockerfile dockerfile;
    private static Document pom;

    @BeforeAll
    static void read() throws Exception {
        compose = new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("compose.yaml").toFile());
        services = compose.path("services");
        dockerfile = Dockerfile.read(DOCKER.resolve("Dockerfile"));
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    }

    @Test
    void everyRoleHasItsService() {
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(command("topics")).startsWith(CDP, "topics");
        assertThat(command("jobmanager")).containsExactly("jobmanager");
        assertThat(command("taskmanager")).containsExactly("taskmanager");
        assertThat(list(services.path("submitter").path("entrypoint"))).containsExactly(SUBMIT);
        assertThat(command("submitter")).startsWith("run");
        assertThat(command("simulator")).startsWith(CDP, "simulate");
    }

    @Test
    void imagesAreTheVersionsThePomBuildsAgainst() throws Exception {
        assertThat(services.path("kafka").path("image").asText())
                .isEqualTo("apache/kafka:" + pomValue("kafka.version"));
        assertThat(dockerfile.from()).isEqualTo("flink:" + pomValue("flink.version") + "-java17");
        String jobImage = "streaming-cdp:" + xpath("/project/version");
        jobImageServices().forEach(name -> assertThat(services.path(name).path("image").asText())
                .as(name).isEqualTo(jobImage));
    }

    @Test
    void everyServiceOfTheJobImageBuildsItFromTheRepository() {
        assertThat(jobImageServices()).contains("topics", "jobmanager", "taskmanager", "submitter", "simulator");
        for (String name : jobImageServices()) {
            JsonNode build = services.path(name).path("build");
            Path context = DOCKER.resolve(build.path("context").asText()).normalize();
            assertThat(context.resolve("pom.xml")).as(name + ": build context is the repository root").isRegularFile();
            assertThat(context.resolve(build.path("dockerfile").asText()).normalize()).as(name)
                    .isEqualTo(DOCKER.resolve("Dockerfile"));
        }
    }

    @Test
    void everyCopySourceExistsOrIsTheJarThePomBuilds() throws Exception {
        String jar = "target/" + xpath("/project/build/finalName") + ".jar";
        assertThat(dockerfile.copies()).isNotEmpty();
        for (Copy copy : dockerfile.copies()) {
            for (String source : copy.sources()) {
                if (!source.equals(jar)) {
                    assertThat(Path.of(source)).as("COPY source").exists();
                }
            }
        }
        assertThat(dockerfile.sourceOf("/opt/flink/usrlib/streaming-cdp.jar")).contains(jar);
    }

    @Test
    void theScriptsTheServicesRunAreInstalledAndNameTheJobsMainClass() throws Exception {
        for (String script : List.of(CDP, SUBMIT)) {
            Path source = dockerfile.sourceOf(script).map(Path::of)
                    .orElseThrow(() -> new AssertionError(script + " is not installed by the Dockerfile"));
            assertThat(source).isRegularFile().isExecutable();
            assertThat(Files.readString(source)).as(script).contains("/usrlib/streaming-cdp.jar");
        }
        String launcher = Files.readString(dockerfile.sourceOf(CDP).map(Path::of).orElseThrow());
        String mainClass = launcher.replaceAll("(?s).*\\s(dev\\.streamingcdp\\.[\\w.]+)\\s.*", "$1");
        assertThat(Class.forName(mainClass)).isEqualTo(Cdp.class);
        // flink run finds the entry class in the jar's manifest, which the shade plugin writes.
        String manifestMain = xpath("//plugin[artifactId='maven-shade-plugin']//transformer/mainClass");
        assertThat(Class.forName(manifestMain)).isEqualTo(Cdp.class);
    }

    @Test
    void theJobsCommandsParseWithTheRealCommandLineAndNameAJobThatShips() {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("submitter", command("submitter")); // the entrypoint passes them to the job's main method
        commands.put("topics", command("topics").subList(1, command("topics").size()));
        commands.put("simulator", command("simulator").subList(1, command("simulator").size()));
        commands.forEach((service, args) -> {
            ParseResult parsed = new CommandLine(new Cdp()).parseArgs(args.toArray(String[]::new));
            ParseResult sub = parsed.subcommand();
            assertThat(sub).as(service).isNotNull();
            Path jobInImage = sub.matchedOptionValue("--job", Path.of("none"));
            Path job = inRepository(jobInImage.toString());
            assertThat(job.resolve("job.yaml")).as(service + " --job " + jobInImage).isRegularFile();
            assertThat(sub.matchedOptionValue("--bootstrap-servers", "")).as(service).isEqualTo(internalKafka());
        });
        assertThat(new CommandLine(new Cdp()).parseArgs(command("submitter").toArray(String[]::new))
                .subcommand().commandSpec().name()).isEqualTo("run");
    }

    @Test
    void everyPublishedPortIsOnLoopbackOnly() {
        List<String> ports = new ArrayList<>();
        services.fields().forEachRemaining(s -> s.getValue().path("ports").forEach(p -> ports.add(p.asText())));
        assertThat(ports).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
        assertThat(ports).contains("127.0.0.1:8081:8081", "127.0.0.1:9092:9094");
    }

    @Test
    void theBrokerAdvertisesWhatContainersAndThisMachineConnectTo() {
        String advertised = services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
        assertThat(advertised.split(",")).contains("INTERNAL://" + internalKafka(), "HOST://127.0.0.1:9092");
        assertThat(services.path("kafka").path("environment").path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText())
                .isEqualTo("false");
    }

    @Test
    void theJobStartsOnlyAfterItsTopicsAndAHealthyJobManager() {
        for (String checked : List.of("kafka", "jobmanager")) {
            JsonNode health = services.path(checked).path("healthcheck");
            assertThat(list(health.path("test"))).as(checked + " healthcheck").isNotEmpty();
            assertThat(health.path("disable").asBoolean(false)).as(checked + " healthcheck disabled").isFalse();
        }
        assertThat(condition("topics", "kafka")).isEqualTo("service_healthy");
        assertThat(condition("submitter", "topics")).isEqualTo("service_completed_successfully");
        assertThat(condition("submitter", "jobmanager")).isEqualTo("service_healthy");
        assertThat(condition("taskmanager", "jobmanager")).isEqualTo("service_healthy");
        assertThat(condition("simulator", "topics")).isEqualTo("service_completed_successfully");
    }

    @Test
    void flinkInContainersBindsAllInterfacesAndNamesPeersByService() {
        Map<String, String> jm = flinkProperties("jobmanager");
        Map<String, String> tm = flinkProperties("taskmanager");
        assertThat(jm).containsEntry("jobmanager.rpc.address", "jobmanager")
                .containsEntry("jobmanager.bind-host", "0.0.0.0").containsEntry("rest.bind-address", "0.0.0.0");
        assertThat(tm).containsEntry("jobmanager.rpc.address", "jobmanager")
                .containsEntry("taskmanager.bind-host", "0.0.0.0").containsEntry("taskmanager.host", "taskmanager");
        for (Map<String, String> props : List.of(jm, tm)) {
            assertThat(props).containsEntry("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            assertThat(props.values()).noneMatch(v -> v.contains("127.0.0.1") || v.contains("localhost"));
        }
        // JobManager and TaskManager share the volume that checkpoints are written to.
        assertThat(list(services.path("jobmanager").path("volumes"))).containsExactly("checkpoints:/tmp/streaming-cdp");
        assertThat(list(services.path("taskmanager").path("volumes")))
                .containsExactly("checkpoints:/tmp/streaming-cdp");
        assertThat(compose.path("volumes").has("checkpoints")).isTrue();
    }

    private static List<String> command(String service) {
        return list(services.path(service).path("command"));
    }

    private static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> jobImageServices() {
        List<String> names = new ArrayList<>();
        services.fields().forEachRemaining(s -> {
            if (s.getValue().path("image").asText().startsWith("streaming-cdp:")) {
                names.add(s.getKey());
            }
        });
        return names;
    }

    private static String condition(String service, String dependency) {
        return services.path(service).path("depends_on").path(dependency).path("condition").asText();
    }

    /** FLINK_PROPERTIES as the image's entrypoint reads it: one "key: value" per line. */
    private static Map<String, String> flinkProperties(String service) {
        Map<String, String> props = new LinkedHashMap<>();
        services.path(service).path("environment").path("FLINK_PROPERTIES").asText().lines()
                .filter(l -> !l.isBlank())
                .forEach(l -> props.put(l.substring(0, l.indexOf(':')).strip(),
                        l.substring(l.indexOf(':') + 1).strip()));
        return props;
    }

    /** The broker address the containers use: the one the job's commands pass. */
    private static String internalKafka() {
        return "kafka:9092";
    }

    /** A path inside the image mapped back to the repository through the Dockerfile's COPY of a directory. */
    private static Path inRepository(String imagePath) {
        for (Copy copy : dockerfile.copies()) {
            String target = copy.target().endsWith("/") ? copy.target() : copy.target() + "/";
            if (imagePath.startsWith(target) && copy.sources().size() == 1 && copy.sources().get(0).endsWith("/")) {
                return Path.of(copy.sources().get(0), imagePath.substring(target.length()));
            }
        }
        throw new AssertionError(imagePath + " is not copied into the image from the repository");
    }

    private static String pomValue(String property) throws Exception {
        return xpath("/project/properties/" + property);
    }

    private static String xpath(String expression) throws Exception {
        String value = XPathFactory.newInstance().newXPath().evaluate(expression, pom).strip();
        assertThat(value).as("pom.xml " + expression).isNotEmpty();
        return value;
    }

    /** COPY [--flags] SOURCE... TARGET */
    record Copy(List<String> sources, String target) {}

    /** The instructions of a Dockerfile this test looks at, continuation lines joined. */
    record Dockerfile(String from, List<Copy> copies) {

        static Dockerfile read(Path file) throws IOException {
            String joined = Files.readString(file).replaceAll("\\\\\\n", " ");
            String from = null;
            List<Copy> copies = new ArrayList<>();
            for (String line : joined.lines().map(String::strip).toList()) {
                String[] words = line.split("\\s+");
                if (words[0].equals("FROM")) {
                    from = words[1];
                } else if (words[0].equals("COPY")) {
                    List<String> args = Stream.of(words).skip(1).filter(w -> !w.startsWith("--")).toList();
                    copies.add(new Copy(args.subList(0, args.size() - 1), args.get(args.size() - 1)));
                }
            }
            return new Dockerfile(from, copies);
        }

        /** The repository file that ends up at {@code imagePath}, by a COPY to that file or into its directory. */
        Optional<String> sourceOf(String imagePath) {
            for (Copy copy : copies) {
                if (copy.target().equals(imagePath) && copy.sources().size() == 1) {
                    return Optional.of(copy.sources().get(0));
                }
                if (copy.target().endsWith("/")) {
                    for (String source : copy.sources()) {
                        String name = Path.of(source).getFileName().toString();
                        if (!source.endsWith("/") && imagePath.equals(copy.target() + name)) {
                            return Optional.of(source);
                        }
                    }
                }
            }
            return Optional.empty();
        }
    }
}
