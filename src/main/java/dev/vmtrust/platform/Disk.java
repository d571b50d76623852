package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The file-system calls {@link AtomicFiles} makes, one method per call, so that a test can make any one of them
 * fail (a decorator such as the tests' {@code FaultyDisk}: a failed write, fsync or rename, a full disk) and check
 * that no data is lost. {@link #SYSTEM} is the real file system. Nothing here retries, orders or cleans up: that
 * is {@link AtomicFiles}' job.
 */
public interface Disk {
    Disk SYSTEM = new SystemDisk();

    /** Creates {@code file}, failing when it exists ({@link Files#createFile}). */
    Path createFile(Path file, FileAttribute<?>... attrs) throws IOException;

    /** Writes all of {@code data} to the start of {@code file}, an existing empty file; not forced. */
    void write(Path file, byte[] data) throws IOException;

    /**
     * Forces {@code file}'s data and metadata (its mode) to the device: fsync. POSIX fsync flushes the file
     * whichever descriptor wrote it, so the file is opened anew (read-only) for it.
     */
    void force(Path file) throws IOException;

    void setPosixFilePermissions(Path file, Set<PosixFilePermission> mode) throws IOException;

    /** {@link Files#move}: with ATOMIC_MOVE a rename(2) within the folder. */
    void move(Path from, Path to, CopyOption... options) throws IOException;

    /** Forces a folder, so that a rename or link in it survives a power loss (fsync of the folder). */
    void forceDirectory(Path dir) throws IOException;

    boolean deleteIfExists(Path file) throws IOException;

    /** A hard link {@code link} to {@code existing}; fails when {@code link} exists ({@link Files#createLink}). */
    void createLink(Path link, Path existing) throws IOException;

    /** {@link Files#copy(Path, Path, CopyOption...)}. */
    void copy(Path from, Path to, CopyOption... options) throws IOException;
}
