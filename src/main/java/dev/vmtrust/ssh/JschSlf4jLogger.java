package dev.vmtrust.ssh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JSch's log to slf4j logger {@code com.jcraft.jsch}. Levels are lowered one step: JSch logs
 * every connection at INFO and "Permanently added ... to the list of known hosts" at WARN on every
 * connect with StrictHostKeyChecking=no, which is normal here; real failures reach the user through
 * {@link SshException}. JSch never logs key material.
 */
final class JschSlf4jLogger implements com.jcraft.jsch.Logger {
    private static final Logger LOG = LoggerFactory.getLogger("com.jcraft.jsch");

    @Override
    public boolean isEnabled(int level) {
        return switch (level) {
            case DEBUG -> LOG.isTraceEnabled();
            case INFO, WARN -> LOG.isDebugEnabled();
            default -> LOG.isWarnEnabled();
        };
    }

    @Override
    public void log(int level, String message) {
        log(level, message, null);
    }

    @Override
    public void log(int level, String message, Throwable cause) {
        switch (level) {
            case DEBUG -> LOG.trace(message, cause);
            case INFO, WARN -> LOG.debug(message, cause);
            default -> LOG.warn(message, cause);
        }
    }
}
