package dev.vmtrust.vm.provision;

import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.Ownership;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replacement of a user's file through the one atomic writer ({@link AtomicFiles}): the rename happens only
 * when the file still holds the {@link Snapshot} the edit was computed from, is quiet, and the new file gets
 * the same mode and owner. Before the first edit a backup "NAME.vmtrust.bak" (same mode) is made; an existing
 * backup is never overwritten. A user's own version of vmtrust's entry is kept in
 * "NAME.vmtrust-user-edit.bak" (overwritten each time) before it is replaced.
 */
final class SafeFiles {
  static final String BACKUP_SUFFIX = ".vmtrust.bak";
  static final String USER_EDIT_SUFFIX = ".vmtrust-user-edit.bak";
  static final String TEMP_SUFFIX = ".vmtrust-tmp";
  /** Mode of a file vmtrust creates: never group or world writable. */
  private static final Set<PosixFilePermission> NEW_FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private SafeFiles() {}

  static Path backupOf(Path file) {
    return file.resolveSibling(file.getFileName() + BACKUP_SUFFIX);
  }

  static Path userEditBackupOf(Path file) {
    return file.resolveSibling(file.getFileName() + USER_EDIT_SUFFIX);
  }

  /**
   * Refuses, with the reason, a file vmtrust must leave as it is: an empty one (being written, or not yet
   * written by Colima or Lima), one its owner may not write (0444: the user said "leave it"), or one owned by
   * another user (replacing it would make it ours). {@code shown} is the path named in messages.
   */
  static void checkEditable(Path target, Path shown, Snapshot s) throws IOException {
    if (s.absent()) return;
    if (s.bytes().length == 0) {
      throw new ProvisionSkipped(shown + " is empty; vmtrust leaves it as it is (Colima or Lima write it"
          + " on start; vmtrust adds its entry after that)");
    }
    if (!Ownership.ownedByMe(target)) {
      throw new ProvisionSkipped(shown + " is owned by " + Ownership.ownerName(target) + ", not by this user;"
          + " vmtrust leaves it as it is: give it back to yourself (chown) to let vmtrust add its entry");
    }
    Set<PosixFilePermission> mode = Ownership.modeOf(target);
    if ((mode != null && !mode.contains(PosixFilePermission.OWNER_WRITE)) || !Files.isWritable(target)) {
      throw new ProvisionSkipped(shown + " is read-only; vmtrust leaves it as it is: make it writable"
          + " (chmod u+w) to let vmtrust add its entry");
    }
  }

  /**
   * Replaces target with bytes when it still holds {@code before}; returns false, writing nothing, when it
   * changed meanwhile. {@code userEdit}: keep {@code before} as the user's version first. beforeRename runs
   * between the write of the temp file and the final check (a test hook).
   */
  static boolean replaceIfUnchanged(Path target, Snapshot before, byte[] bytes, boolean userEdit,
      Snapshot.Quiet quiet, Runnable beforeRename) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (before.absent()) {
      AtomicFiles.createDirectories(dir);
    }
    Set<PosixFilePermission> mode = before.absent() ? NEW_FILE_MODE : Ownership.modeOf(target);
    // The backups are made after the last check, so that they hold exactly the version replaced; that
    // writes (and fsyncs) between the check and the rename, but only on the first edit or a user's edit.
    return AtomicFiles.replace(target, bytes, mode, TEMP_SUFFIX, temp -> {
      beforeRename.run();
      if (!before.stillThere(target, quiet)) {
        return false;
      }
      if (!before.absent()) {
        if (!Ownership.uidOf(temp).equals(Ownership.uidOf(target))) {
          throw new ProvisionSkipped(target + " is owned by " + Ownership.ownerName(target)
              + ", not by this user; vmtrust leaves it as it is");
        }
        backupOnce(target, before.bytes(), mode);
        if (userEdit) {
          AtomicFiles.replace(userEditBackupOf(target), before.bytes(), mode, TEMP_SUFFIX, t -> true);
        }
      }
      return true;
    });
  }

  /** Writes the backup unless one exists; the hard link makes it appear complete or not at all. */
  static void backupOnce(Path target, byte[] original, Set<PosixFilePermission> mode)
      throws IOException {
    Path backup = backupOf(target);
    if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS) || original.length == 0) {
      return;
    }
    Path dir = target.toAbsolutePath().getParent();
    Path temp = AtomicFiles.writeTemp(dir, backup.getFileName().toString(), TEMP_SUFFIX, original, mode);
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
    AtomicFiles.forceDirectory(dir);
  }
}
