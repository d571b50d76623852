package dev.vmtrust.platform;

import java.util.List;

/** A process could not be started, timed out, or (from {@link CommandRunner#check}) failed. */
public class CommandException extends Exception {
    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The program and its first arguments, for messages (arguments are file paths or flags, never secrets). */
    public static String describe(List<String> argv) {
        String s = String.join(" ", argv);
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }
}
