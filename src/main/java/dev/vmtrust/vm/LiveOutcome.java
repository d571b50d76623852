package dev.vmtrust.vm;

import dev.vmtrust.reconcile.TargetReport.Result;
import dev.vmtrust.reconcile.TargetReport.State;
import java.util.List;

/** What the live part of one reconcile did to one VM (a value; the reconciler folds it into the report). */
public record LiveOutcome(State state, Result result, int added, int removed, List<String> restarted,
                          List<String> pendingRestart, int containersRunning, String error, String hint) {
    public LiveOutcome {
        restarted = List.copyOf(restarted);
        pendingRestart = List.copyOf(pendingRestart);
    }

    static LiveOutcome stopped() {
        return new LiveOutcome(State.STOPPED, Result.SKIPPED, 0, 0, List.of(), List.of(), 0, null, null);
    }

    static LiveOutcome failed(State state, String error, String hint) {
        return new LiveOutcome(state, Result.FAILED, 0, 0, List.of(), List.of(), 0, error, hint);
    }

    static LiveOutcome unchanged() {
        return new LiveOutcome(State.RUNNING, Result.UNCHANGED, 0, 0, List.of(), List.of(), 0, null, null);
    }
}
