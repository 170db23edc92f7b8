package dev.streamingcdp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command of `cdp`, at any depth, answers --help with its usage and exit code 0. */
class CommandHelpTest {

    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(Cdp.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).as("the command tree").hasSizeGreaterThan(10)
                .contains(List.of("run"), List.of("topics"), List.of("segments", "push"), List.of("bench", "job"),
                        List.of("collect"), List.of("serve"), List.of("store", "migrate"));

        for (List<String> path : paths) {
            CommandLine cli = Cdp.commandLine(); // a fresh tree: a parse leaves its values behind
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            List<String> args = new ArrayList<>(path);
            args.add("--help");

            int code = cli.execute(args.toArray(String[]::new));

            String command = String.join(" ", path);
            assertThat(err.toString()).as("cdp %s --help: standard error", command).isEmpty();
            assertThat(code).as("cdp %s --help: exit code", command).isZero();
            assertThat(out.toString()).as("cdp %s --help", command)
                    .startsWith("Usage: cdp" + (path.isEmpty() ? "" : " " + command) + " ").contains("--help");
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            collect(sub, deeper, paths);
        });
    }
}
