package dev.vmtrust.cli;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.vmtrust.platform.SafeText;

/**
 * The log's layout, the one choke point for every log line (agent and commands, logback.xml and
 * {@link Logging}): {@link Logging#PATTERN}, with the message escaped by {@link SafeText}, so a subject,
 * folder name or VM output with CR/LF cannot forge a log line and an ESC sequence cannot reach a terminal
 * showing the log. The line's own newline ({@code %n}) is kept. Stack traces keep their line breaks and
 * leading tabs; the rest of each of their lines is escaped too.
 */
public final class SafeLayout extends PatternLayout {
    public SafeLayout() {
        getInstanceConverterMap().put("msg", SafeMessage::new);
        getInstanceConverterMap().put("m", SafeMessage::new);
        getInstanceConverterMap().put("message", SafeMessage::new);
        getInstanceConverterMap().put("ex", SafeThrowable::new);
        setPattern(Logging.PATTERN + "%ex");
    }

    /** {@code %msg}, escaped. */
    public static final class SafeMessage extends MessageConverter {
        @Override public String convert(ILoggingEvent event) { return SafeText.escape(super.convert(event)); }
    }

    /** {@code %ex}: each line escaped, line breaks and leading tabs kept. */
    public static final class SafeThrowable extends ThrowableProxyConverter {
        @Override protected String throwableProxyToString(IThrowableProxy tp) {
            String[] lines = super.throwableProxyToString(tp).split("\n", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) sb.append('\n');
                String l = lines[i];
                int tabs = 0;
                while (tabs < l.length() && l.charAt(tabs) == '\t') tabs++;
                sb.append(l, 0, tabs).append(SafeText.escape(l.substring(tabs)));
            }
            return sb.toString();
        }
    }
}
