package dev.vmtrust.testing;

import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import java.time.Duration;
import java.util.List;

/**
 * A {@link CommandRunner} decorator that caps every timeout, so a test sees a hanging command killed in
 * seconds instead of after the production timeout (30 s for {@code security}). Messages still name the
 * production timeout: they are formatted by the caller from the timeout it asked for.
 */
public final class ShortTimeouts implements CommandRunner {
    private final CommandRunner delegate;
    private final Duration cap;

    public ShortTimeouts(CommandRunner delegate, Duration cap) {
        this.delegate = delegate;
        this.cap = cap;
    }

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) throws CommandException {
        return delegate.run(argv, stdin, timeout.compareTo(cap) > 0 ? cap : timeout);
    }
}
