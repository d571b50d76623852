package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Whole-file replacement that readers never see half done: temp file in the same folder, fsync, rename. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code data} to {@code file} atomically with the given POSIX mode (e.g. "rw-r--r--"). */
    public static void write(Path file, byte[] data, String mode) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        Path tmp = TempFiles.create(dir, file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            setMode(tmp, mode);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates missing folders as rwxr-xr-x whatever the umask (never group or world writable). */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    /** True when {@code file} already holds exactly {@code data} (so a write can be skipped). */
    public static boolean sameContent(Path file, byte[] data) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != data.length) return false;
        return java.util.Arrays.equals(Files.readAllBytes(file), data);
    }

    static void setMode(Path p, String mode) throws IOException {
        try {
            Set<PosixFilePermission> perms = PosixFilePermissions.fromString(mode);
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the platform default applies
        }
    }
}
