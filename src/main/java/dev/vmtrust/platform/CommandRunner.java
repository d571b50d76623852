package dev.vmtrust.platform;

import java.time.Duration;
import java.util.List;

/**
 * Runs one process: an argv list (never a shell string), a mandatory timeout, stdout and stderr
 * drained concurrently. Every process vmtrust starts on the host goes through this interface.
 */
public interface CommandRunner {
    /**
     * Runs {@code argv} with {@code stdin} (may be empty) and returns its result; a non-zero exit is a
     * result, not an exception. Throws {@link CommandException} when the program cannot be started or
     * the timeout fires (the process is then killed).
     */
    CommandResult run(List<String> argv, byte[] stdin, Duration timeout) throws CommandException;

    default CommandResult run(List<String> argv, Duration timeout) throws CommandException {
        return run(argv, new byte[0], timeout);
    }

    /** Like {@link #run} but a non-zero exit throws a {@link CommandException} naming command, exit and stderr tail. */
    default CommandResult check(List<String> argv, Duration timeout) throws CommandException {
        CommandResult r = run(argv, timeout);
        if (r.exitCode() != 0) throw new CommandException(r.failureMessage());
        return r;
    }
}
