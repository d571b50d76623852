package dev.vmtrust.vm;

/**
 * The word for what the live part did to a VM (JSON key "result"): unchanged, updated, pending-restart, failed,
 * skipped (a stopped VM), would-update (dry run). {@link LiveResult} carries the details of each case.
 */
public enum LiveStatus {
    UNCHANGED,
    UPDATED,
    PENDING_RESTART,
    FAILED,
    SKIPPED,
    WOULD_UPDATE
}
