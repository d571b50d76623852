package dev.vmtrust.cli;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.vmtrust.platform.SafeText;

/**
 * The log's layout, the one choke point for every log line (agent and commands, logback.xml and
 * {@link Logging}): {@link Logging#PATTERN}, with the message escaped by {@link SafeText}, so a subject,
 * folder name or VM output with CR/LF cannot forge a log line and an ESC sequence cannot reach a terminal
 * showing the log. The line's own newline ({@code %n}) is kept. In a stack trace, exception messages are
 * escaped too; the trace's own line breaks and tabs are kept.
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
        @Override
        public String convert(ILoggingEvent event) {
            return SafeText.escape(super.convert(event));
        }
    }

    /** {@code %ex}: each exception message (and class name) escaped; the trace's own line breaks and tabs kept. */
    public static final class SafeThrowable extends ThrowableProxyConverter {
        @Override
        protected String throwableProxyToString(IThrowableProxy tp) {
            return super.throwableProxyToString(new Escaped(tp));
        }
    }

    /** A throwable whose message and class name read escaped, and so do its causes and suppressed ones. */
    private record Escaped(IThrowableProxy tp) implements IThrowableProxy {
        @Override
        public String getMessage() {
            return SafeText.escape(tp.getMessage());
        }

        @Override
        public String getClassName() {
            return SafeText.escape(tp.getClassName());
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return tp.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return tp.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return tp.getCause() == null ? null : new Escaped(tp.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] s = tp.getSuppressed();
            if (s == null) return null;
            IThrowableProxy[] out = new IThrowableProxy[s.length];
            for (int i = 0; i < s.length; i++) out[i] = new Escaped(s[i]);
            return out;
        }

        @Override
        public boolean isCyclic() {
            return tp.isCyclic();
        }
    }
}
