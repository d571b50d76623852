package dev.vmtrust.vm.provision;

import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.BoundedFiles;
import dev.vmtrust.platform.Ownership;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vmtrust's entry in one provision YAML file on disk. Edits are computed by
 * {@link ProvisionEditor} and written by the one atomic writer ({@link AtomicFiles}): the rename happens
 * only when the file still holds the {@link Snapshot} the edit was computed from and is quiet; the new
 * file gets the same mode and owner. Before the first edit a backup NAME.vmtrust.bak (same mode) is
 * made; an existing backup is never overwritten. When the file changes between read and rename (Colima
 * re-renders colima.yaml on start), the edit is redone from the new content, up to {@value #MAX_ATTEMPTS}
 * times. A symbolic link is followed: the file it points to is edited (in its own folder).
 *
 * <p>An edit is based only on a quiet read ({@link Snapshot}: nobody else is writing the file) and renamed
 * only while the file is still exactly that; a file that never goes quiet is {@link FileBusyException}. An
 * empty, read-only or foreign-owned file is {@link ProvisionSkipped}. When the entry in the file is not what
 * vmtrust renders ({@code ours} says no: a user edited it), the user's version is kept in
 * NAME.vmtrust-user-edit.bak (overwritten each time) and {@link #userEditBackup()} names it.
 */
public final class ProvisionFile {
    private static final Logger log = LoggerFactory.getLogger(ProvisionFile.class);
    static final int MAX_ATTEMPTS = 5;
    static final String BACKUP_SUFFIX = ".vmtrust.bak";
    static final String USER_EDIT_SUFFIX = ".vmtrust-user-edit.bak";
    /** Ends the temp files' names in the user's folder, so that a leftover says whose it is. */
    static final String TEMP_SUFFIX = ".vmtrust-tmp";
    /** Mode of a file vmtrust creates: never group or world writable. */
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    public enum Outcome {
        UNCHANGED,
        UPDATED,
        CREATED,
        REMOVED,
        ABSENT
    }

    private interface PureEdit {
        Edit apply(String text) throws ProvisionYamlException;
    }

    private final Path file;
    private final boolean createIfMissing;
    private final Runnable beforeRename;
    private final Snapshot.Quiet quiet;
    private final Predicate<String> ours;
    private final AtomicFiles files;
    private Path userEditBackup;

    /** A file that must exist for {@link #upsert}. */
    public ProvisionFile(Path file) {
        this(file, false);
    }

    /** With createIfMissing, {@link #upsert} creates a missing file (and its folders). */
    public ProvisionFile(Path file, boolean createIfMissing) {
        this(file, createIfMissing, () -> {});
    }

    /** For tests: beforeRename runs after the new content is written, before the final check. */
    ProvisionFile(Path file, boolean createIfMissing, Runnable beforeRename) {
        this(file, createIfMissing, beforeRename, Snapshot.Quiet.DEFAULT, script -> true);
    }

    /**
     * {@code ours}: true when an entry's script is exactly what vmtrust renders for the bundle its marker names
     * (false: a user edited it).
     */
    public ProvisionFile(Path file, boolean createIfMissing, Predicate<String> ours) {
        this(file, createIfMissing, () -> {}, Snapshot.Quiet.DEFAULT, ours);
    }

    ProvisionFile(
            Path file, boolean createIfMissing, Runnable beforeRename, Snapshot.Quiet quiet, Predicate<String> ours) {
        this(file, createIfMissing, beforeRename, quiet, ours, AtomicFiles.SYSTEM);
    }

    /** For tests: {@code files} is the writer (a decorator that fails chosen file-system calls). */
    ProvisionFile(
            Path file,
            boolean createIfMissing,
            Runnable beforeRename,
            Snapshot.Quiet quiet,
            Predicate<String> ours,
            AtomicFiles files) {
        this.files = files;
        this.file = file;
        this.createIfMissing = createIfMissing;
        this.beforeRename = beforeRename;
        this.quiet = quiet;
        this.ours = ours;
    }

    /** After {@link #upsert}: where the user's edited version of the entry was kept, if it was. */
    public Optional<Path> userEditBackup() {
        return Optional.ofNullable(userEditBackup);
    }

    public Path path() {
        return file;
    }

    /** Where the backup of the original goes: NAME.vmtrust.bak next to the (link-resolved) file. */
    public Path backupPath() throws IOException {
        return backupOf(target());
    }

    /** UNCHANGED, UPDATED, or CREATED (only with createIfMissing). */
    public Outcome upsert(String script) throws IOException, ProvisionYamlException {
        return edit(text -> ProvisionEditor.upsert(text, script), true);
    }

    /** REMOVED, or ABSENT when the file or the entry is not there. */
    public Outcome remove() throws IOException, ProvisionYamlException {
        return edit(ProvisionEditor::remove, false);
    }

    /** The script of vmtrust's entry; empty when the file or the entry is not there. */
    public Optional<String> currentScript() throws IOException, ProvisionYamlException {
        Path target = target();
        byte[] bytes = Snapshot.read(target, quiet).bytes();
        if (bytes == null) {
            return Optional.empty();
        }
        String text = decode(bytes, target);
        try {
            return ProvisionEditor.currentScript(text);
        } catch (ProvisionYamlException e) {
            throw e.inFile(target);
        }
    }

    /** The unified diff {@link #upsert} would write, "" when nothing would change. */
    public String diff(String script) throws IOException, ProvisionYamlException {
        return diff(text -> ProvisionEditor.upsert(text, script), true);
    }

    /** The unified diff {@link #remove} would write, "" when nothing would change. */
    public String removeDiff() throws IOException, ProvisionYamlException {
        return diff(ProvisionEditor::remove, false);
    }

    private String diff(PureEdit edit, boolean upsert) throws IOException, ProvisionYamlException {
        Path target = target();
        Snapshot snap = Snapshot.read(target, quiet);
        byte[] bytes = snap.bytes();
        if (bytes == null && !(upsert && createIfMissing)) {
            return upsert ? missing() : "";
        }
        Edit result = inFile(target, edit, bytes == null ? new byte[0] : bytes);
        if (!result.changed()) {
            return "";
        }
        checkEditable(target, file, snap);
        String oldText = bytes == null ? "" : decode(bytes, target);
        return UnifiedDiff.diff(bytes == null ? "/dev/null" : file.toString(), file.toString(), oldText, result.text());
    }

    private Outcome edit(PureEdit edit, boolean upsert) throws IOException, ProvisionYamlException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Path target = target();
            Snapshot snap = Snapshot.read(target, quiet);
            byte[] before = snap.bytes();
            if (before == null && !upsert) {
                return Outcome.ABSENT;
            }
            if (before == null && !createIfMissing) {
                missing();
            }
            Edit result = inFile(target, edit, before == null ? new byte[0] : before);
            if (!result.changed()) {
                return upsert ? Outcome.UNCHANGED : Outcome.ABSENT;
            }
            checkEditable(target, file, snap);
            boolean userEdit = upsert && before != null && userEdited(target, before);
            byte[] after = result.text().getBytes(StandardCharsets.UTF_8);
            OwnWrites.expect(target, after);
            OwnWrites.expect(file, after); // the name the agent watches, when target is a link
            // the inode this edit replaces, held open so that a write into it after the last check is seen
            try (FileChannel replaced = before == null ? null : FileChannel.open(target, StandardOpenOption.READ)) {
                if (replaceIfUnchanged(target, snap, after, userEdit)) {
                    if (replaced != null && putBackOrphanedWrite(target, replaced, before)) {
                        continue; // their version is back in place: edit again, on top of it
                    }
                    if (userEdit) {
                        userEditBackup = userEditBackupOf(target);
                    }
                    return before == null ? Outcome.CREATED : upsert ? Outcome.UPDATED : Outcome.REMOVED;
                }
            }
        }
        throw new FileBusyException(file);
    }

    /**
     * A program that saves in place (Go's os.WriteFile: open with O_TRUNC, write) and opened the file after the
     * last check but before the rename wrote into the inode the rename just unlinked: its content would be lost.
     * Seen through {@code replaced} (still open on that inode): when it no longer holds {@code before}, waits until
     * the writer is done with it (quiet, as a read), then puts that content back in place atomically, with the
     * file's mode, and returns true so that the edit is made again on top of it. No write of theirs is lost.
     */
    private boolean putBackOrphanedWrite(Path target, FileChannel replaced, byte[] before) throws IOException {
        byte[] now = readAll(replaced);
        if (Arrays.equals(now, before)) {
            return false;
        }
        long deadline = System.nanoTime() + quiet.maxWait().toNanos();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < quiet.interval().toNanos() && System.nanoTime() < deadline) {
            Snapshot.sleep(Math.max(10, quiet.interval().toMillis() / 5));
            byte[] again = readAll(replaced);
            if (!Arrays.equals(again, now)) {
                now = again;
                quietSince = System.nanoTime();
            }
        }
        log.warn(
                "{}: another program wrote it while vmtrust replaced it; its version is put back and the entry"
                        + " added again",
                file);
        files.replace(target, now, Ownership.modeOf(target), TEMP_SUFFIX, t -> true);
        return true;
    }

    private static byte[] readAll(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size > BoundedFiles.PROVISION_YAML) {
            throw new IOException("grew past " + BoundedFiles.PROVISION_YAML + " bytes while being written");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

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
    private static void checkEditable(Path target, Path shown, Snapshot s) throws IOException {
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
     * changed meanwhile. {@code userEdit}: keep {@code before} as the user's version first. The backups are made
     * after the last check, so that they hold exactly the version replaced; that writes (and fsyncs) between the
     * check and the rename, but only on the first edit or a user's edit.
     */
    private boolean replaceIfUnchanged(Path target, Snapshot before, byte[] bytes, boolean userEdit)
            throws IOException {
        if (before.absent()) {
            AtomicFiles.createDirectories(target.toAbsolutePath().getParent());
        }
        Set<PosixFilePermission> mode = before.absent() ? NEW_FILE_MODE : Ownership.modeOf(target);
        return files.replace(target, bytes, mode, TEMP_SUFFIX, temp -> {
            beforeRename.run();
            if (!before.stillThere(target, quiet)) {
                return false;
            }
            if (!before.absent()) {
                if (!Ownership.uidOf(temp).equals(Ownership.uidOf(target))) {
                    throw new ProvisionSkipped(target + " is owned by " + Ownership.ownerName(target)
                            + ", not by this user; vmtrust leaves it as it is");
                }
                if (before.bytes().length > 0) {
                    files.createOnce(backupOf(target), before.bytes(), mode, TEMP_SUFFIX);
                }
                if (userEdit) {
                    files.replace(userEditBackupOf(target), before.bytes(), mode, TEMP_SUFFIX, t -> true);
                }
            }
            return true;
        });
    }

    /** True when the file holds a vmtrust entry that vmtrust did not render as it is (a user changed it). */
    private boolean userEdited(Path target, byte[] before) throws ProvisionYamlException {
        try {
            Optional<String> current = ProvisionEditor.currentScript(decode(before, target));
            return current.isPresent() && !ours.test(current.get());
        } catch (ProvisionYamlException e) {
            throw e.inFile(target);
        }
    }

    private String missing() throws NoSuchFileException {
        throw new NoSuchFileException(
                file.toString(),
                null,
                "no such file; start the instance once" + " so that it is created, then run vmtrust again");
    }

    /**
     * The file itself, or the file a symbolic link points to; one that is not a regular file (a FIFO, a link to
     * /dev/zero) or is over {@link BoundedFiles#PROVISION_YAML} is refused, naming {@link #file}.
     */
    private Path target() throws IOException {
        if (Files.exists(file)) {
            BoundedFiles.check(file, BoundedFiles.PROVISION_YAML, "a provision YAML");
            return file.toRealPath();
        }
        if (Files.isSymbolicLink(file)) {
            throw new NoSuchFileException(
                    file.toString(),
                    null,
                    "a symbolic link to a missing file;" + " fix or remove the link, vmtrust will not replace it");
        }
        return file;
    }

    private Edit inFile(Path target, PureEdit edit, byte[] bytes)
            throws ProvisionYamlException, BoundedFiles.RefusedFileException {
        YamlBudget.check(file, bytes);
        try {
            return edit.apply(decode(bytes, target));
        } catch (ProvisionYamlException e) {
            throw e.inFile(target);
        }
    }

    /** Strict UTF-8: a malformed byte is an error at its line and column (in bytes). */
    static String decode(byte[] bytes, Path target) throws ProvisionYamlException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ProvisionYamlException(
                            "the file is not valid UTF-8; save it as UTF-8, vmtrust" + " will not edit it",
                            line,
                            offset - lineStart + 1)
                    .inFile(target);
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
