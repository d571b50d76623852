package dev.vmtrust.notify;

import java.util.List;

/** How one target ended a reconcile, as far as notifications care. */
public sealed interface TargetStatus {
    /** Converged (or nothing to do). */
    record Ok() implements TargetStatus {}

    /** Did not converge; {@code retriesExhausted} false means the agent will still retry on its own. */
    record Failed(String error, boolean retriesExhausted) implements TargetStatus {}

    /** Trusts the set, but engines keep the old roots until restarted (containers were running). */
    record PendingRestart(List<String> engines, int containers) implements TargetStatus {
        public PendingRestart {
            engines = List.copyOf(engines);
        }
    }

    static TargetStatus ok() {
        return new Ok();
    }

    static TargetStatus failed(String error, boolean retriesExhausted) {
        return new Failed(error, retriesExhausted);
    }

    static TargetStatus pendingRestart(List<String> engines, int containers) {
        return new PendingRestart(engines, containers);
    }
}
