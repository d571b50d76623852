package dev.vmtrust.vm;

import java.util.List;

/** The pure diff for a running VM; apply runs only what it says. */
public sealed interface LivePlan {
    /** Stamp and files equal the set and no restart is pending: nothing to write, nothing to restart. */
    record InSync() implements LivePlan {}

    /** The trust store must change: fp16 names to add and to remove (either may be empty when only the stamp differs). */
    record Change(List<String> add, List<String> remove) implements LivePlan {
        public Change {
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }
    }

    /** The store is current but an engine restart was deferred: run apply to finish it when idle. */
    record FinishRestart(List<String> engines) implements LivePlan {
        public FinishRestart {
            engines = List.copyOf(engines);
        }
    }
}
