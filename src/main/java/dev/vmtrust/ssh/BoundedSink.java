package dev.vmtrust.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where JSch's session thread writes one stream of a remote command. Contract: every write returns at
 * once (the session thread must keep reading, or the VM blocks); the first {@code headCap} bytes and the
 * last {@code tailCap} are kept, the middle is counted and dropped; every kept byte is charged to the
 * shared {@link OutputBudget} (when it is spent, less is kept) and given back by {@link #release()}.
 */
final class BoundedSink extends OutputStream {
    private final OutputBudget budget;
    private final int headCap, tailCap;
    private byte[] head = new byte[0];
    private int headLen;
    private byte[] tail; // ring buffer, allocated (and charged) when the head is full
    private int tailPos; // next write position in the ring
    private long tailTotal; // bytes that went to the ring, kept or overwritten
    private long total;
    private long granted;
    private boolean headClosed;

    BoundedSink(OutputBudget budget, int headCap, int tailCap) {
        this.budget = budget;
        this.headCap = headCap;
        this.tailCap = tailCap;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        total += len;
        while (len > 0 && !headClosed) {
            int n = Math.min(len, roomInHead());
            if (n == 0) {
                headClosed = true;
                break;
            }
            System.arraycopy(b, off, head, headLen, n);
            headLen += n;
            off += n;
            len -= n;
        }
        if (len == 0) return;
        if (tail == null) {
            int g = tailCap == 0 ? 0 : budget.take(tailCap);
            granted += g;
            tail = new byte[g];
        }
        tailTotal += len;
        if (tail.length == 0) return;
        if (len >= tail.length) { // only the last tail.length bytes survive
            System.arraycopy(b, off + len - tail.length, tail, 0, tail.length);
            tailPos = 0;
            return;
        }
        int first = Math.min(len, tail.length - tailPos);
        System.arraycopy(b, off, tail, tailPos, first);
        System.arraycopy(b, off + first, tail, 0, len - first);
        tailPos = (tailPos + len) % tail.length;
    }

    /** Room left in the head, growing it (doubling, charged to the budget) as needed. */
    private int roomInHead() {
        if (headLen < head.length) return head.length - headLen;
        int want = Math.min(headCap, Math.max(4096, head.length * 2)) - head.length;
        int g = want <= 0 ? 0 : budget.take(want);
        if (g == 0) return 0;
        granted += g;
        head = Arrays.copyOf(head, head.length + g);
        return g;
    }

    /** Bytes received and not kept. */
    synchronized long dropped() {
        return total - headLen - Math.min(tailTotal, tail == null ? 0 : tail.length);
    }

    synchronized long total() {
        return total;
    }

    /** Head, a marker line where bytes were dropped, tail; UTF-8 decoded (a cut character becomes U+FFFD). */
    synchronized String text() {
        StringBuilder sb = new StringBuilder(new String(head, 0, headLen, StandardCharsets.UTF_8));
        long dropped = dropped();
        if (dropped > 0) sb.append("\n[vmtrust: ").append(dropped).append(" bytes dropped]\n");
        if (tail != null && tail.length > 0 && tailTotal > 0) {
            int kept = (int) Math.min(tailTotal, tail.length);
            byte[] t = new byte[kept];
            int start = kept < tail.length ? 0 : tailPos;
            for (int i = 0; i < kept; i++) t[i] = tail[(start + i) % tail.length];
            sb.append(new String(t, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** Gives the kept bytes' budget back; the sink keeps nothing more. */
    synchronized void release() {
        budget.give(granted);
        granted = 0;
        head = new byte[0];
        headLen = 0;
        tail = new byte[0];
        headClosed = true;
    }
}
