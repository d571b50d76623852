package dev.vmtrust.notify;

import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's hook ({@code notify.command}): runs the argv as given (no shell) with the event as one JSON
 * document plus {@code "\n"} on stdin, UTF-8. A failing or hung hook is logged and otherwise ignored.
 */
public final class CommandNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(CommandNotifier.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private final CommandRunner runner;
    private final List<String> argv;
    private final Duration timeout;

    public CommandNotifier(CommandRunner runner, List<String> argv, Duration timeout) {
        if (argv.isEmpty()) throw new IllegalArgumentException("notify.command is empty");
        this.runner = runner;
        this.argv = List.copyOf(argv);
        this.timeout = timeout;
    }

    @Override
    public void notify(Event e) {
        byte[] stdin = (e.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            CommandResult r = runner.run(argv, stdin, timeout);
            if (!r.ok())
                LOG.warn("notify.command failed for a {} event: {}", e.event().word(), r.failureMessage());
        } catch (CommandException ex) {
            LOG.warn("notify.command failed for a {} event: {}", e.event().word(), ex.getMessage());
        } catch (RuntimeException ex) {
            LOG.warn("notify.command failed for a {} event", e.event().word(), ex);
        }
    }
}
