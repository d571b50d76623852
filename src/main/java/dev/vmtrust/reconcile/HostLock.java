package dev.vmtrust.reconcile;

import dev.vmtrust.platform.BoundedFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
        checkRegular(file);
        FileChannel ch = FileChannel.open(
                file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
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

    /**
     * The lock must be a regular file, checked from its own attributes (a link is not followed) before it is
     * opened: opening a FIFO for writing blocks, and a link could make vmtrust create a file at its target.
     * The open itself uses O_NOFOLLOW, so a link made after the check fails instead of being followed.
     */
    private static void checkRegular(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!a.isRegularFile()) {
            String kind = a.isSymbolicLink() ? "a symbolic link" : BoundedFiles.kind(file, a);
            throw new StateFolderException(file + ": not a regular file (" + kind + "); vmtrust locks only a regular"
                    + " file it creates itself: remove it, vmtrust makes a new one");
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another thread of this JVM
        }
    }

    @Override
    public void close() throws IOException {
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
