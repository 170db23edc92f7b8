package dev.streamingcdp.activation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line of the JVM while open (root at INFO, the job's own code at DEBUG), with its stack traces, so a
 * test can look for personal data in what an operator's log files would contain.
 */
final class CapturedLogs extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final Map<String, Level> before;

    CapturedLogs() {
        super("captured-logs", null, null, true, Property.EMPTY_ARRAY);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        before = new HashMap<>();
        ctx.getConfiguration().getLoggers().forEach((name, config) -> before.put(name, config.getLevel()));
        start();
        ctx.getConfiguration().getRootLogger().addAppender(this, Level.ALL, null);
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.INFO);
        Configurator.setLevel("dev.streamingcdp", Level.DEBUG);
    }

    @Override
    public synchronized void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ')
                .append(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(getName());
        before.forEach((name, level) -> Configurator.setLevel(name.isEmpty() ? LogManager.ROOT_LOGGER_NAME : name,
                level));
        Configurator.setLevel("dev.streamingcdp", (Level) null);
        stop();
    }
}
