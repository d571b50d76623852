package dev.vmtrust.vm.provision;

import dev.vmtrust.platform.BoundedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * vmtrust's entry in one provision YAML file on disk. Edits are computed by
 * {@link ProvisionEditor} and written by {@link SafeFiles}: atomically, keeping the mode, with one
 * backup before the first edit. When the file changes between read and rename (Colima re-renders
 * colima.yaml on start), the edit is redone from the new content, up to {@value #MAX_ATTEMPTS}
 * times. A symbolic link is followed: the file it points to is edited (in its own folder).
 *
 * <p>An edit is based only on a quiet read ({@link Snapshot}: nobody else is writing the file) and renamed
 * only while the file is still exactly that; a file that never goes quiet is {@link FileBusyException}. An
 * empty, read-only or foreign-owned file is {@link ProvisionSkipped}. When the entry in the file is not what
 * vmtrust renders ({@code ours} says no: a user edited it), the user's version is kept in
 * NAME.vmtrust-user-edit.bak and {@link #userEditBackup()} names it.
 */
public final class ProvisionFile {
  static final int MAX_ATTEMPTS = 5;

  public enum Outcome { UNCHANGED, UPDATED, CREATED, REMOVED, ABSENT }

  private interface PureEdit {
    Edit apply(String text) throws ProvisionYamlException;
  }

  private final Path file;
  private final boolean createIfMissing;
  private final Runnable beforeRename;
  private final Snapshot.Quiet quiet;
  private final Predicate<String> ours;
  private Path userEditBackup;

  /** A file that must exist for {@link #upsert}. */
  public ProvisionFile(Path file) {
    this(file, false);
  }

  /** With createIfMissing, {@link #upsert} creates a missing file (and its folders). */
  public ProvisionFile(Path file, boolean createIfMissing) {
    this(file, createIfMissing, () -> { });
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
    this(file, createIfMissing, () -> { }, Snapshot.Quiet.DEFAULT, ours);
  }

  ProvisionFile(Path file, boolean createIfMissing, Runnable beforeRename, Snapshot.Quiet quiet,
      Predicate<String> ours) {
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
    return SafeFiles.backupOf(target());
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
    SafeFiles.checkEditable(target, file, snap);
    String oldText = bytes == null ? "" : decode(bytes, target);
    return UnifiedDiff.diff(bytes == null ? "/dev/null" : file.toString(), file.toString(),
        oldText, result.text());
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
      SafeFiles.checkEditable(target, file, snap);
      boolean userEdit = upsert && before != null && userEdited(target, before);
      byte[] after = result.text().getBytes(StandardCharsets.UTF_8);
      OwnWrites.expect(target, after);
      OwnWrites.expect(file, after); // the name the agent watches, when target is a link
      if (SafeFiles.replaceIfUnchanged(target, snap, after, userEdit, quiet, beforeRename)) {
        if (userEdit) {
          userEditBackup = SafeFiles.userEditBackupOf(target);
        }
        return before == null ? Outcome.CREATED : upsert ? Outcome.UPDATED : Outcome.REMOVED;
      }
    }
    throw new FileBusyException(file);
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
    throw new NoSuchFileException(file.toString(), null, "no such file; start the instance once"
        + " so that it is created, then run vmtrust again");
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
      throw new NoSuchFileException(file.toString(), null, "a symbolic link to a missing file;"
          + " fix or remove the link, vmtrust will not replace it");
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
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
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
      throw new ProvisionYamlException("the file is not valid UTF-8; save it as UTF-8, vmtrust"
          + " will not edit it", line, offset - lineStart + 1).inFile(target);
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
