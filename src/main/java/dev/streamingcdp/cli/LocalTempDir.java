package dev.streamingcdp.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * A local run's own temporary directory (Flink's io.tmp.dirs and web.tmpdir: minicluster_* working dirs, BLOB store,
 * the extracted RPC jar, RocksDB's native library, the dashboard's upload dir), deleted by a shutdown hook: Flink removes some of it only on an orderly close,
 * which a SIGTERM or Ctrl-C does not give, and ~80 MB stayed behind per run. A SIGKILL still leaves it.
 */
final class LocalTempDir {

    private LocalTempDir() {}

    /** Creates the directory under java.io.tmpdir, points {@code conf} at it and deletes it when the JVM exits. */
    static Path use(Configuration conf) throws IOException {
        Path dir = Files.createTempDirectory("cdp-local-");
        conf.set(CoreOptions.TMP_DIRS, dir.toString());
        conf.set(WebOptions.TMP_DIR, dir.toString()); // the dashboard's flink-web-upload, else in java.io.tmpdir
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteOnExit(dir), "cdp-local-tmp-cleanup"));
        return dir;
    }

    /**
     * Shutdown hooks run concurrently: Flink's own (closing RocksDB, the BLOB store) may still write into the
     * directory after a first pass, so passes repeat until it is gone, for 10 s at most.
     */
    private static void deleteOnExit(Path dir) {
        for (int pass = 0; pass < 100 && Files.exists(dir); pass++) {
            delete(dir);
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Best effort and silent: it runs while the JVM exits, possibly with standard output a closed pipe, and Flink's
     * own shutdown hooks may be removing files at the same time.
     */
    static void delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    d.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException e) {
            // nothing to report to: see above
        }
    }
}
