package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * The one atomic file writer (DESIGN convention 11): the new bytes go to a temp file in the target's folder
 * (created 0600, named by {@link TempFiles}), are forced to disk, get their final mode, and are renamed over
 * the target; then the folder is forced so that the rename survives a power loss. Readers see the old file
 * or the new one, never a mix. A symbolic link as {@code file} is replaced by the new file, not followed:
 * callers that edit a link's target resolve it first.
 */
public final class AtomicFiles {
    /** The last check before the rename; false leaves the target as it is (and the temp file is removed). */
    @FunctionalInterface
    public interface BeforeRename {
        boolean stillValid(Path temp) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code data} to {@code file} atomically with the given POSIX mode (e.g. "rw-r--r--"). */
    public static void write(Path file, byte[] data, String mode) throws IOException {
        createDirectories(file.toAbsolutePath().getParent());
        replace(file, data, PosixFilePermissions.fromString(mode), ".tmp", t -> true);
    }

    /**
     * Replaces {@code file} with {@code data} (mode {@code mode}, null: the file system's default) when
     * {@code check} still agrees right before the rename; returns whether it did. {@code suffix} ends the
     * temp file's name.
     */
    public static boolean replace(Path file, byte[] data, Set<PosixFilePermission> mode, String suffix,
                                  BeforeRename check) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = writeTemp(dir, file.getFileName().toString(), suffix, data, mode);
        try {
            if (!check.stillValid(tmp)) return false;
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A forced temp file in {@code dir} holding {@code data} with {@code mode} (null: leave the default). */
    public static Path writeTemp(Path dir, String name, String suffix, byte[] data, Set<PosixFilePermission> mode)
            throws IOException {
        FileAttribute<?>[] attrs = posix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = TempFiles.create(dir, name, suffix, attrs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            if (mode != null && attrs.length > 0) Files.setPosixFilePermissions(tmp, mode);
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Makes a rename in {@code dir} durable; some systems (macOS) cannot open a folder for this: ignored. */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // best effort: the data itself was forced before the rename
        }
    }

    /**
     * Creates missing folders as rwxr-xr-x whatever the umask (never group or world writable); returns whether
     * {@code dir} itself was created. The mode of a folder that exists is never changed.
     */
    public static boolean createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return false;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
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

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
