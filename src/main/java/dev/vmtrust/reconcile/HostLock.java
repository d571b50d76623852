package dev.vmtrust.reconcile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

/**
 * One reconcile at a time across processes (agent, manual sync, uninstall): an exclusive lock on
 * {@code <stateDir>/lock}. The OS drops the lock when the holder dies, so a crash never wedges it.
 */
public final class HostLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to {@code wait} for the lock; throws {@link LockTimeoutException} naming the file. */
    public static HostLock acquire(Path stateDir, Duration wait) throws IOException {
        StateStore.ensureDir(stateDir);
        Path file = stateDir.resolve("lock");
        FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                FileLock l = tryLock(ch);
                if (l != null) return new HostLock(ch, l);
                if (System.nanoTime() > deadline) throw new LockTimeoutException(file, wait);
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + file);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another thread of this JVM
        }
    }

    @Override public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another vmtrust process kept the lock longer than we were willing to wait. */
    public static final class LockTimeoutException extends IOException {
        public LockTimeoutException(Path file, Duration wait) {
            super("another vmtrust reconcile held " + file + " for over " + wait.toSeconds()
                    + "s; try again, or check `vmtrust status`");
        }
    }
}
