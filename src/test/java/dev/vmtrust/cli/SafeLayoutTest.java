package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.vmtrust.testing.StderrCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Issue 12 finding 6, the log: CR LF cannot forge a line, ESC and bidi controls are shown as escapes. */
class SafeLayoutTest {
    static final String EVIL = HostileTextCliTest.EVIL;
    static final String SHOWN = HostileTextCliTest.SHOWN;

    @TempDir
    Path tmp;

    private static String layout(String format, Object arg, Throwable t) {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.vmtrust.agent");
        SafeLayout layout = new SafeLayout();
        layout.setContext(logger.getLoggerContext());
        layout.start();
        return layout.doLayout(new LoggingEvent(Logger.FQCN, logger, Level.WARN, format, t, new Object[] {arg}));
    }

    @Test
    void aMessageWithCrLfEscAndBidiIsOneLineWithItsOwnNewline() {
        String line = layout("colima/x failed: {}", EVIL, null);

        assertThat(line).endsWith(" WARN  agent: colima/x failed: " + SHOWN + "\n");
        assertThat(line.chars().filter(c -> c == '\n' || c == '\r').count()).isEqualTo(1);
    }

    @Test
    void aStackTraceKeepsItsLineBreaksAndTabsAndEscapesTheRest() {
        String text = layout("boom {}", "x", new IllegalStateException(EVIL));

        assertThat(text)
                .contains(" WARN  agent: boom x\njava.lang.IllegalStateException: " + SHOWN + "\n\tat dev.vmtrust.");
    }

    @Test
    void commandLogLinesOnStderrAreEscaped() {
        try (StderrCapture capture = new StderrCapture()) {
            LoggerFactory.getLogger("dev.vmtrust.source").warn("skipped {}", EVIL);

            assertThat(capture.text()).endsWith(" WARN  source: skipped " + SHOWN + "\n");
        }
    }

    @Test
    void theAgentsLogFileIsEscaped() throws Exception {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        try {
            Logging.agent(Optional.of(tmp), false);
            LoggerFactory.getLogger("dev.vmtrust.agent").info("reconcile done: colima/{} +1 -0", EVIL);
        } finally {
            lc.reset();
            new ContextInitializer(lc).autoConfig();
        }

        assertThat(Files.readString(tmp.resolve("vmtrust.log")))
                .endsWith(" INFO  agent: reconcile done: colima/" + SHOWN + " +1 -0\n")
                .hasLineCount(1);
    }
}
