package dev.streamingcdp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of a process, from Linux's /proc (VmHWM: the high-water mark of its RSS). */
final class ProcessMemory {

    private ProcessMemory() {}

    /** Bytes; -1 when the process is gone or this is not Linux. */
    static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
