package dev.streamingcdp.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The prepared job copy (see PrepareCommand) every step after `prepare` works on. */
public class JobDirOption {

    @Option(names = "--job", required = true, description = "The prepared job directory.")
    Path jobDir;
}
