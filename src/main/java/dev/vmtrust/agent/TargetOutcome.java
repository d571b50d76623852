package dev.vmtrust.agent;

/** How one target ended in one reconcile round, as far as the loop's scheduling is concerned. */
public enum TargetOutcome {
    /** In sync (or nothing to do, e.g. a stopped VM whose provision entry is current): clears its backoff. */
    CONVERGED,
    /** Failed in a way worth retrying (SSH refused, trust update failed...): retried with backoff. */
    FAILED,
    /**
     * Started but not finished when the round returned (a hung VM waiting for its SSH timeout). The
     * reconcile function owes the loop a {@link Round#finished} call for it later.
     */
    IN_FLIGHT
}
