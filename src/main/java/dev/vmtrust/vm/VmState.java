package dev.vmtrust.vm;

/** Whether a target's VM was running, stopped, or did not answer (JSON key "state": running, stopped, unreachable). */
public enum VmState {
    RUNNING,
    STOPPED,
    UNREACHABLE
}
