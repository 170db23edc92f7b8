package dev.streamingcdp.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops async-profiler in another JVM (the job's) around the measured drain, so that start-up, the
 * warm-up and the idle wait are not in the profile. Loads the agent with `jcmd PID JVMTI.agent_load`: a second load
 * of the same library passes the new command to the running agent.
 */
final class AsyncProfilerControl {

    private static final long TIMEOUT_SECONDS = 60;

    private final Path agent;
    private final long pid;

    AsyncProfilerControl(Path agent, long pid) {
        this.agent = agent.toAbsolutePath();
        this.pid = pid;
    }

    /** itimer: perf events are not available in every VM; threads: the thread name becomes each stack's first frame. */
    void start(int intervalMs) throws IOException, InterruptedException {
        command("start,event=itimer,interval=" + intervalMs + "ms,threads");
    }

    /** Stops sampling and writes the collapsed stacks. */
    void stop(Path collapsed) throws IOException, InterruptedException {
        command("stop,file=" + collapsed.toAbsolutePath() + ",collapsed");
    }

    /** jcmd reads `key=value` arguments: the agent's options go quoted, as one value. */
    static List<String> jcmd(long pid, Path agent, String options) {
        return List.of("jcmd", Long.toString(pid), "JVMTI.agent_load", agent.toString(), "\"" + options + "\"");
    }

    private void command(String options) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd(pid, agent, options)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0 || output.contains("[ERROR]")) {
            p.destroy();
            throw new IOException("async-profiler " + options + " in JVM " + pid + " failed: " + output.strip());
        }
    }
}
