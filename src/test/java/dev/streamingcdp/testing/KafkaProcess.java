package dev.streamingcdp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real broker process (bin/kafka: KRaft, one node, its log on disk in {@code dataDir}) on fixed loopback ports, that
 * a test can stop, SIGKILL and start again: a restarted broker recovers its log, as in production.
 */
public final class KafkaProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Scripts scripts;

    /** {@code workDir} holds the data dir and the scripts' log; give each test its own ports (below 32768). */
    public KafkaProcess(Path workDir, int port, int controllerPort) throws IOException {
        this.dataDir = workDir.resolve("kafka").toAbsolutePath();
        this.port = port;
        Files.createDirectories(workDir);
        this.scripts = new Scripts(Map.of("KAFKA_PORT", String.valueOf(port),
                "KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort), "KAFKA_DATA_DIR", dataDir.toString()),
                workDir);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts it (formats storage on the first start) and waits until it serves; a running broker is left as is. */
    public void start() throws IOException, InterruptedException {
        scripts.run("bin/kafka", "start");
    }

    /** A clean stop (SIGTERM). */
    public void stop() throws IOException, InterruptedException {
        scripts.run("bin/kafka", "stop");
    }

    /** SIGKILL, as a crash: no clean shutdown, the log is recovered on the next start. */
    public void kill() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(dataDir.resolve("broker.pid")).trim());
        ProcessHandle broker = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("the broker (pid " + pid + ") is not running"));
        broker.destroyForcibly();
        try {
            broker.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the broker (pid " + pid + ") did not die within 30 s", e);
        }
    }

    /** Stops it if it runs. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
