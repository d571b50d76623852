package dev.vmtrust.notify;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's entry point for notifications: after each reconcile, {@link #announce} decides the events
 * ({@link Notifications}), remembers the new state (in memory and in {@code notify-state.json}, saved
 * before sending so a crash while notifying never repeats an event), then sends them. Never throws.
 */
public final class Announcer {
    private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);
    private final Notifications rules;
    private final NotifyStateFile file;
    private final Notifier notifier;
    private NotifyState state;

    public Announcer(Notifications rules, NotifyStateFile file, Notifier notifier) {
        this.rules = rules;
        this.file = file;
        this.notifier = notifier;
    }

    /** Returns the events sent (empty for an unchanged reconcile). */
    public synchronized List<Event> announce(Outcome outcome) {
        if (state == null) state = file.load();
        Notifications.Step step = rules.step(state, outcome);
        state = step.state();
        try {
            file.save(state);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot save {} ({}); notifications may repeat after a restart", file.file(), e.getMessage());
        }
        for (Event e : step.events()) notifier.notify(e);
        return step.events();
    }
}
