package dev.vmtrust.target.provision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import dev.vmtrust.platform.TempFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Atomic replacement of a user's file: the new bytes go to a temp file in the same folder, are
 * forced to disk, get the file's mode, and are renamed over it. The rename happens only when the
 * file still holds the bytes the edit was computed from. Before the first edit a backup
 * "NAME.vmtrust.bak" (same mode) is made; an existing backup is never overwritten.
 */
final class SafeFiles {
  static final String BACKUP_SUFFIX = ".vmtrust.bak";
  /** Mode of a file vmtrust creates: never group or world writable. */
  private static final Set<PosixFilePermission> NEW_FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private SafeFiles() {}

  /** The file's bytes, or null when it does not exist. */
  static byte[] readOrNull(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  static Path backupOf(Path file) {
    return file.resolveSibling(file.getFileName() + BACKUP_SUFFIX);
  }

  /**
   * Replaces target with bytes when it still holds expected (null: still absent); returns false,
   * writing nothing, when it changed meanwhile. beforeRename runs between the write of the temp
   * file and the final check (a test hook).
   */
  static boolean replaceIfUnchanged(Path target, byte[] expected, byte[] bytes,
      Runnable beforeRename) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (expected == null) {
      Files.createDirectories(dir);
    }
    Set<PosixFilePermission> mode = expected == null ? NEW_FILE_MODE : modeOf(target);
    Path temp = writeTemp(dir, target.getFileName().toString(), bytes, mode);
    try {
      beforeRename.run();
      if (!Arrays.equals(readOrNull(target), expected)) {
        return false;
      }
      if (expected != null) {
        backupOnce(target, expected, mode);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(dir);
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes the backup unless one exists; the hard link makes it appear complete or not at all. */
  static void backupOnce(Path target, byte[] original, Set<PosixFilePermission> mode)
      throws IOException {
    Path backup = backupOf(target);
    if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path dir = target.toAbsolutePath().getParent();
    Path temp = writeTemp(dir, backup.getFileName().toString(), original, mode);
    try {
      Files.createLink(backup, temp);
    } catch (FileAlreadyExistsException e) {
      // another vmtrust process made it first: keep theirs, it is the same original
    } catch (UnsupportedOperationException | IOException e) {
      try { // file systems without hard links
        Files.copy(temp, backup, StandardCopyOption.COPY_ATTRIBUTES);
      } catch (FileAlreadyExistsException ignored) {
        // made meanwhile: keep it
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path writeTemp(Path dir, String name, byte[] bytes,
      Set<PosixFilePermission> mode) throws IOException {
    boolean posix = mode != null;
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    Path temp = TempFiles.create(dir, name, ".vmtrust-tmp", attrs);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    if (posix) {
      Files.setPosixFilePermissions(temp, mode);
    }
    return temp;
  }

  /** The file's POSIX mode, or null on file systems without one. */
  private static Set<PosixFilePermission> modeOf(Path file) throws IOException {
    try {
      return Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  /** Makes the rename durable; some systems (macOS) cannot open a folder for this: ignored. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // best effort: the data itself was forced before the rename
    }
  }
}
