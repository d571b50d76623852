package dev.vmtrust.vm;

import dev.vmtrust.platform.BoundedFiles;
import java.io.IOException;
import java.util.function.LongPredicate;

/**
 * Whether a target's VM runs, from Lima's host agent PID file: running = {@code ha.pid} exists, holds
 * a PID, and that process is alive. A stale ha.pid (VM crashed, host rebooted) means stopped. An ha.pid
 * that is not a regular file or is over {@link BoundedFiles#HA_PID} is refused (read without blocking):
 * that target fails with the message, the others go on. Never calls {@code colima} or {@code limactl}.
 * The liveness check is injectable for tests.
 */
public final class VmLiveness {
    /** {@code refused}: why ha.pid was not read, else null. */
    public record Status(boolean running, String refused) {}

    private final LongPredicate alive;

    public VmLiveness(LongPredicate alive) {
        this.alive = alive;
    }

    /** Liveness from the OS process table. */
    public static VmLiveness system() {
        return new VmLiveness(
                pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    public boolean isRunning(TargetRef target) {
        return status(target).running();
    }

    public Status status(TargetRef target) {
        String text;
        try {
            text = BoundedFiles.readString(target.haPid(), BoundedFiles.HA_PID, "a PID file")
                    .strip();
        } catch (BoundedFiles.RefusedFileException e) {
            return new Status(false, e.getMessage());
        } catch (IOException e) {
            return new Status(false, null);
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return new Status(false, null);
        }
        return new Status(pid > 0 && alive.test(pid), null);
    }
}
