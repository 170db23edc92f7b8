package dev.streamingcdp.cli;

import dev.streamingcdp.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Lets options take durations the way job.yaml writes them: 500ms, 5s, 10m. */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage()); // picocli shows this message as it is
        }
    }
}
