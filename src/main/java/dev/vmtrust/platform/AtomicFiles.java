package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * The one atomic file writer (DESIGN convention 11), for every file vmtrust writes on the host: the new bytes
 * go to a temp file in the target's folder (created 0600, named by {@link TempFiles}), get their final mode, are
 * forced to disk (data and mode), and are renamed over the target; then the folder is forced so that the
 * rename survives a power loss. Readers see the old file or the new one, never a mix. When any step fails, the
 * target is left as it was and the temp file is removed (a writer killed mid-way leaves one that the next
 * write sweeps). A symbolic link as the target is replaced by the new file, not followed: callers that edit a
 * link's target resolve it first.
 *
 * <p>All of its file-system calls go through a {@link Disk}: {@link #SYSTEM} writes to the real file system,
 * tests pass a decorator that fails chosen calls. The folder fsync is best effort: some systems (macOS) cannot
 * open a folder for it, and the data itself was forced before the rename.
 */
public final class AtomicFiles {
    public static final AtomicFiles SYSTEM = new AtomicFiles(Disk.SYSTEM);
    private static final Set<PosixFilePermission> TEMP_MODE = PosixFilePermissions.fromString("rw-------");

    /** The last check before the rename; false leaves the target as it is (and the temp file is removed). */
    @FunctionalInterface
    public interface BeforeRename {
        boolean stillValid(Path temp) throws IOException;
    }

    private final Disk disk;

    public AtomicFiles(Disk disk) {
        this.disk = disk;
    }

    /**
     * Writes {@code data} to {@code file} atomically with the given POSIX mode (e.g. "rw-r--r--"), creating
     * missing folders ({@link #createDirectories}); the temp file ends in {@link TempFiles#SUFFIX}.
     */
    public void write(Path file, byte[] data, String mode) throws IOException {
        createDirectories(file.toAbsolutePath().getParent());
        replace(file, data, PosixFilePermissions.fromString(mode), TempFiles.SUFFIX, t -> true);
    }

    /**
     * Replaces {@code file} with {@code data} (mode {@code mode}, null: the file system's default) when
     * {@code check} still agrees right before the rename; returns whether it did. {@code suffix} ends the
     * temp file's name. An exception from {@code check} leaves the target as it is, as a false does.
     */
    public boolean replace(Path file, byte[] data, Set<PosixFilePermission> mode, String suffix, BeforeRename check)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = writeTemp(dir, file.getFileName().toString(), suffix, data, mode);
        try {
            if (!check.stillValid(tmp)) {
                disk.deleteIfExists(tmp);
                return false;
            }
            try {
                disk.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                disk.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            discard(tmp, e);
            throw e;
        }
        forceDirectory(dir);
        return true;
    }

    /**
     * Creates {@code file} holding {@code data} unless something exists under that name (then returns false and
     * writes nothing): a forced temp file is hard-linked to the name, so the file appears complete or not at all,
     * and a concurrent writer's file is never overwritten. On a file system without hard links the temp file is
     * copied instead (not atomic: a crash mid-copy can leave a partial file).
     */
    public boolean createOnce(Path file, byte[] data, Set<PosixFilePermission> mode, String suffix) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return false;
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = writeTemp(dir, file.getFileName().toString(), suffix, data, mode);
        try {
            try {
                disk.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                disk.deleteIfExists(tmp);
                return false; // another writer made it first: keep theirs
            } catch (UnsupportedOperationException | IOException e) {
                if (!copyOnce(tmp, file)) {
                    disk.deleteIfExists(tmp);
                    return false;
                }
            }
            disk.deleteIfExists(tmp);
        } catch (IOException | RuntimeException e) {
            discard(tmp, e);
            throw e;
        }
        forceDirectory(dir);
        return true;
    }

    /** The copy fallback of {@link #createOnce}: false when the name was taken meanwhile; a partial copy is removed. */
    private boolean copyOnce(Path tmp, Path file) throws IOException {
        try {
            disk.copy(tmp, file, StandardCopyOption.COPY_ATTRIBUTES);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            discard(file, e); // the copy made it (no replace option): a partial file must not stay
            throw e;
        }
    }

    /** A forced temp file in {@code dir} holding {@code data} with {@code mode} (null: leave the default). */
    private Path writeTemp(Path dir, String name, String suffix, byte[] data, Set<PosixFilePermission> mode)
            throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(TEMP_MODE)}
                : new FileAttribute<?>[0];
        Path tmp = TempFiles.create(disk, dir, name, suffix, attrs);
        try {
            disk.write(tmp, data);
            if (mode != null && posix) disk.setPosixFilePermissions(tmp, mode);
            disk.force(tmp);
            return tmp;
        } catch (IOException | RuntimeException e) {
            discard(tmp, e);
            throw e;
        }
    }

    /** Makes a rename or link in {@code dir} durable, as far as the system allows (see the class comment). */
    private void forceDirectory(Path dir) {
        try {
            disk.forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            // best effort: the data itself was forced before the rename
        }
    }

    /** Removes a file a failed write left; a failure to remove it is added to {@code cause}, which is thrown. */
    private void discard(Path file, Exception cause) {
        try {
            disk.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Creates missing folders as rwxr-xr-x whatever the umask (never group or world writable); returns whether
     * {@code dir} itself was created. The mode of a folder that exists is never changed.
     */
    public static boolean createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return false;
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
        return true;
    }

    /** True when {@code file} is a regular file already holding exactly {@code data} (so a write can be skipped). */
    public static boolean sameContent(Path file, byte[] data) throws IOException {
        try {
            if (BoundedFiles.check(file, Long.MAX_VALUE, "this file").size() != data.length) return false;
            return Arrays.equals(BoundedFiles.readBytes(file, data.length, "this file"), data);
        } catch (java.nio.file.NoSuchFileException | BoundedFiles.RefusedFileException e) {
            return false;
        }
    }
}
