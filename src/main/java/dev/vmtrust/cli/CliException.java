package dev.vmtrust.cli;

/** A failure with a user-facing message and the exit code it maps to; thrown by commands, printed once. */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
