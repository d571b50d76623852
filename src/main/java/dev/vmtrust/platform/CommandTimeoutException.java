package dev.vmtrust.platform;

/** The process did not finish within its timeout and was killed. */
public final class CommandTimeoutException extends CommandException {
    public CommandTimeoutException(String message) {
        super(message);
    }
}
