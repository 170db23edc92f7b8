package dev.streamingcdp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process has used so far, from Linux's /proc/PID/stat (utime + stime, all its threads). */
final class ProcessCpu {

    private ProcessCpu() {}

    /** Clock ticks (see `getconf CLK_TCK`); -1 when the process is gone or this is not Linux. */
    static long ticks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The command name (2nd field) may hold spaces and parentheses: fields are counted after its last ')'. */
    static long parse(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
