package dev.vmtrust.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Log levels and destinations chosen at run time. Commands: warnings on stderr (debug with -v), so their
 * output stays clean. The agent: INFO, one line per reconcile, to stdout (journald under systemd) or, on
 * macOS, to a rolling file in ~/Library/Logs/vmtrust/ (launchd keeps no journal). Every line goes through
 * {@link SafeLayout}, which escapes the message.
 */
public final class Logging {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n";

    private Logging() {}

    /** Sets the command's level every time (in-process runs, e.g. tests, must not inherit an earlier -v). */
    public static void verbose(boolean on) {
        root().setLevel(on ? Level.DEBUG : Level.WARN);
        ((Logger) LoggerFactory.getLogger("com.jcraft.jsch")).setLevel(on ? Level.INFO : Level.WARN);
    }

    /** Switches to agent logging: INFO (DEBUG with -v) to {@code logDir/vmtrust.log} when given, else stdout. */
    public static void agent(Optional<Path> logDir, boolean verbose) {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = root();
        root.detachAndStopAllAppenders();
        SafeLayout layout = new SafeLayout();
        layout.setContext(lc);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
        enc.setContext(lc);
        enc.setLayout(layout);
        enc.start();
        root.addAppender(logDir.map(d -> file(lc, enc, d)).orElseGet(() -> stdout(lc, enc)));
        root.setLevel(verbose ? Level.DEBUG : Level.INFO);
        ((Logger) LoggerFactory.getLogger("com.jcraft.jsch")).setLevel(verbose ? Level.INFO : Level.WARN);
    }

    private static Appender<ILoggingEvent> stdout(LoggerContext lc, LayoutWrappingEncoder<ILoggingEvent> enc) {
        ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
        a.setContext(lc);
        a.setEncoder(enc);
        a.start();
        return a;
    }

    private static Appender<ILoggingEvent> file(LoggerContext lc, LayoutWrappingEncoder<ILoggingEvent> enc, Path dir) {
        RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
        a.setContext(lc);
        a.setFile(dir.resolve(dev.vmtrust.service.LaunchdService.LOG_FILE).toString());
        FixedWindowRollingPolicy roll = new FixedWindowRollingPolicy();
        roll.setContext(lc);
        roll.setParent(a);
        roll.setFileNamePattern(dir.resolve("vmtrust.%i.log").toString());
        roll.setMinIndex(1);
        roll.setMaxIndex(3);
        roll.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
        size.setContext(lc);
        size.setMaxFileSize(FileSize.valueOf("5MB"));
        size.start();
        a.setRollingPolicy(roll);
        a.setTriggeringPolicy(size);
        a.setEncoder(enc);
        a.start();
        return a;
    }

    public static void unexpected(Throwable t) {
        LoggerFactory.getLogger("dev.vmtrust").debug("unexpected error", t);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
