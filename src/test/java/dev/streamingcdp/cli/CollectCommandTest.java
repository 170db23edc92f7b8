package dev.streamingcdp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The collector's producer options: a bad value is a usage error naming the option, before anything starts. */
class CollectCommandTest {

    @Test
    void aTooSmallBatchSizeOrANegativeLingerIsAUsageError() {
        assertThat(run("--batch-size", "10")).contains("--linger/--batch-size")
                .contains("batch size >= 1024 bytes").contains("10");
        assertThat(run("--linger", "-1ms")).contains("Invalid value for option '--linger'");
    }

    private static String run(String... options) {
        CommandLine cli = Cdp.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        String[] args = new String[options.length + 3];
        args[0] = "collect";
        args[1] = "--job";
        args[2] = "jobs/retail-demo";
        System.arraycopy(options, 0, args, 3, options.length);
        assertThat(cli.execute(args)).isEqualTo(2);
        return err.toString();
    }
}
