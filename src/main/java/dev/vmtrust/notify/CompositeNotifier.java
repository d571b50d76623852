package dev.vmtrust.notify;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans one event out to every channel; one channel failing never keeps the event from the others. */
public final class CompositeNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(CompositeNotifier.class);
    private final List<Notifier> channels;

    public CompositeNotifier(List<Notifier> channels) {
        this.channels = List.copyOf(channels);
    }

    /** Log always; desktop when {@code notify.desktop}; the hook when {@code notify.command} is non-empty. */
    public static CompositeNotifier fromConfig(Config.Notify notify, CommandRunner runner, Os os) {
        return fromConfig(notify, runner, new Environment(java.util.Map.of(), os));
    }

    /** As above; on macOS osascript is {@link Environment#macosTool}. */
    public static CompositeNotifier fromConfig(Config.Notify notify, CommandRunner runner, Environment env) {
        List<Notifier> l = new ArrayList<>();
        l.add(new LogNotifier());
        if (notify.desktop()) l.add(new DesktopNotifier(runner, env.os(), env.macosTool("osascript")));
        if (!notify.command().isEmpty()) {
            l.add(new CommandNotifier(runner, notify.command(), CommandNotifier.DEFAULT_TIMEOUT));
        }
        return new CompositeNotifier(l);
    }

    public List<Notifier> channels() {
        return channels;
    }

    @Override
    public void notify(Event e) {
        for (Notifier n : channels) {
            try {
                n.notify(e);
            } catch (RuntimeException ex) {
                LOG.warn(
                        "{} failed on a {} event",
                        n.getClass().getSimpleName(),
                        e.event().word(),
                        ex);
            }
        }
    }
}
