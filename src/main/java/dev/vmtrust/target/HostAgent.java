package dev.vmtrust.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.LongPredicate;

/**
 * Whether a target's VM runs, from Lima's host agent PID file: running = {@code ha.pid} exists, holds
 * a PID, and that process is alive. A stale ha.pid (VM crashed, host rebooted) means stopped. Never
 * calls {@code colima} or {@code limactl}. The liveness check is injectable for tests.
 */
public final class HostAgent {
    private final LongPredicate alive;

    public HostAgent(LongPredicate alive) {
        this.alive = alive;
    }

    /** Liveness from the OS process table. */
    public static HostAgent system() {
        return new HostAgent(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    public boolean isRunning(TargetRef target) {
        String text;
        try {
            text = Files.readString(target.haPid(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return false;
        }
        return pid > 0 && alive.test(pid);
    }
}
