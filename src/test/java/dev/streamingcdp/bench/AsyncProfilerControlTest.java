package dev.streamingcdp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AsyncProfilerControlTest {

    @Test
    void agentOptionsGoToJcmdAsOneQuotedValue() {
        // unquoted, jcmd splits "start,event=itimer" at '=' and the agent sees an empty event
        assertThat(AsyncProfilerControl.jcmd(42, Path.of("/a/libasyncProfiler.so"), "start,event=itimer"))
                .containsExactly("jcmd", "42", "JVMTI.agent_load", "/a/libasyncProfiler.so", "\"start,event=itimer\"");
    }
}
