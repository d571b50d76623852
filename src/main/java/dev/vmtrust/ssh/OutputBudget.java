package dev.vmtrust.ssh;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One cap on the VM output held in memory, shared by every SSH session of the process (built once in
 * {@code Main}). Six VMs printing 30 MB each once exhausted the installed -Xmx64m heap; now each stream
 * keeps a bounded head and tail ({@link BoundedSink}), and all of them together never hold more than
 * this budget: past it, output is still read (a VM never blocks on a full channel) and dropped.
 */
public final class OutputBudget {
    /** The installed agent's budget: a fraction of its 64 MiB heap. */
    public static final long DEFAULT_BYTES = 8L << 20;

    private final AtomicLong left;

    public OutputBudget(long bytes) {
        left = new AtomicLong(bytes);
    }

    /** Grants up to {@code n} bytes (0 when the budget is spent); the caller gives them back with {@link #give}. */
    int take(int n) {
        while (true) {
            long l = left.get();
            int granted = (int) Math.max(0, Math.min(n, l));
            if (granted == 0 || left.compareAndSet(l, l - granted)) return granted;
        }
    }

    void give(long n) {
        left.addAndGet(n);
    }

    /** Bytes not held right now. */
    public long left() {
        return left.get();
    }
}
