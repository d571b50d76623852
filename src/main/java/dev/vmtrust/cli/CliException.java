package dev.vmtrust.cli;

import java.util.List;

/**
 * A failure with a user-facing message and the exit code it maps to; thrown by commands, printed once.
 * The message is one line; several problems (a config's) are given as {@link #lines()}, one per line,
 * so the printer can escape each ({@code dev.vmtrust.platform.SafeText}) and keep only its own line breaks.
 */
public class CliException extends RuntimeException {
    private final int exitCode;
    private final transient List<String> lines;

    public CliException(int exitCode, String message) {
        this(exitCode, List.of(message == null ? "null" : message));
    }

    /** {@code lines} must not be empty; the message is the lines joined by {@code \n}. */
    public CliException(int exitCode, List<String> lines) {
        super(String.join("\n", lines));
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> lines() {
        return lines;
    }
}
