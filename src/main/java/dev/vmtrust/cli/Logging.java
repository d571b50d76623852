package dev.vmtrust.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log levels chosen at run time: warnings by default, debug with -v. */
public final class Logging {
    private Logging() {}

    public static void verbose(boolean on) {
        if (!on) return;
        root().setLevel(Level.DEBUG);
        ((Logger) LoggerFactory.getLogger("com.jcraft.jsch")).setLevel(Level.INFO);
    }

    public static void unexpected(Throwable t) {
        LoggerFactory.getLogger("dev.vmtrust").debug("unexpected error", t);
    }

    private static Logger root() { return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME); }
}
