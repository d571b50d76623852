package dev.vmtrust.vm;

import dev.vmtrust.platform.BoundedFiles;
import dev.vmtrust.vm.provision.FileBusyException;
import dev.vmtrust.vm.provision.ProvisionFile;
import dev.vmtrust.vm.provision.ProvisionSkipped;
import dev.vmtrust.vm.provision.ProvisionYamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The persisted part of a target: vmtrust's provision entry in the profile's colima.yaml or the
 * instance's lima.yaml, so every boot installs the set even when the agent is not running.
 * Only our entry ever changes (see {@link ProvisionFile}); a broken file is reported, never touched.
 * A busy file (another program writes it) fails, so the agent retries; an empty, read-only or
 * foreign-owned file is skipped with a note; a user's edit of our entry is replaced with a note
 * naming the backup of their version.
 */
public final class PersistSync {
    /**
     * The largest CA set vmtrust writes into a provision YAML: each CA adds 1-2.5 KB to the entry, which
     * Colima and Lima parse at every start and vmtrust edits under the agent's 64 MiB heap (measured: a 20 KB
     * colima.yaml with 1000 CAs, or five 1 MiB ones edited one after the other, fit with room to spare).
     */
    public static final int MAX_PERSISTED_CAS = 1000;

    /** {@code diff} is the unified diff of the planned change (dry run), else empty; {@code note} a remark for the user. */
    public record Outcome(Persisted persisted, String error, String diff, String note) {
        public Outcome(Persisted persisted, String error, String diff) {
            this(persisted, error, diff, null);
        }

        static Outcome of(Persisted p) {
            return new Outcome(p, null, "", null);
        }
    }

    private PersistSync() {}

    /** The refusal of a set too large to persist, or empty. */
    public static Optional<Outcome> tooLarge(int cas) {
        if (cas <= MAX_PERSISTED_CAS) return Optional.empty();
        return Optional.of(new Outcome(
                Persisted.FAILED,
                "the CA set has " + cas + " certificates; vmtrust persists" + " at most " + MAX_PERSISTED_CAS
                        + " in a provision entry (limit); narrow it with include/exclude",
                ""));
    }

    /**
     * Upserts the entry whose script is {@code script}. A missing file is skipped unless
     * {@code createIfMissing} (Colima's template). Never throws.
     */
    public static Outcome upsert(Path file, String script, boolean dryRun, boolean createIfMissing) {
        if (!createIfMissing && !Files.exists(file)) return Outcome.of(Persisted.SKIPPED);
        try {
            ProvisionFile pf = new ProvisionFile(file, createIfMissing, RenderedEntry::isOurs);
            if (dryRun) {
                String diff = pf.diff(script);
                return diff.isEmpty()
                        ? Outcome.of(Persisted.UNCHANGED)
                        : new Outcome(Persisted.WOULD_UPDATE, null, diff);
            }
            ProvisionFile.Outcome o = pf.upsert(script);
            String note = pf.userEditBackup()
                    .map(b -> "your edits to vmtrust's entry in " + file + " were replaced; your version is in " + b)
                    .orElse(null);
            return new Outcome(
                    o == ProvisionFile.Outcome.UNCHANGED ? Persisted.UNCHANGED : Persisted.UPDATED, null, "", note);
        } catch (ProvisionYamlException e) {
            return new Outcome(
                    Persisted.FAILED,
                    e.file().isPresent() ? e.getMessage() : e.inFile(file).getMessage(),
                    "");
        } catch (IOException e) {
            return failed(file, "cannot update the provision entry", e);
        } catch (OutOfMemoryError e) { // a YAML of very many keys plus a large entry: this edit only, it is freed
            return new Outcome(
                    Persisted.FAILED,
                    file + ": too large to edit within vmtrust's memory (its YAML" + " and the entry of "
                            + "the CA set); shorten the file, or narrow the set with include/exclude",
                    "");
        }
    }

    /** Removes our entry (uninstall --purge). */
    public static Outcome remove(Path file, boolean dryRun) {
        if (!Files.exists(file)) return Outcome.of(Persisted.SKIPPED);
        try {
            ProvisionFile pf = new ProvisionFile(file);
            if (dryRun) {
                String diff = pf.removeDiff();
                return diff.isEmpty()
                        ? Outcome.of(Persisted.UNCHANGED)
                        : new Outcome(Persisted.WOULD_UPDATE, null, diff);
            }
            return pf.remove() == ProvisionFile.Outcome.REMOVED
                    ? Outcome.of(Persisted.UPDATED)
                    : Outcome.of(Persisted.UNCHANGED);
        } catch (ProvisionYamlException e) {
            return new Outcome(
                    Persisted.FAILED,
                    e.file().isPresent() ? e.getMessage() : e.inFile(file).getMessage(),
                    "");
        } catch (IOException e) {
            return failed(file, "cannot remove the provision entry", e);
        }
    }

    /** Skipped files get a note, busy and refused files their own message (it names the file), others a prefix. */
    private static Outcome failed(Path file, String what, IOException e) {
        if (e instanceof ProvisionSkipped) return new Outcome(Persisted.SKIPPED, null, "", e.getMessage());
        if (e instanceof FileBusyException || e instanceof BoundedFiles.RefusedFileException) {
            return new Outcome(Persisted.FAILED, e.getMessage(), "");
        }
        return new Outcome(Persisted.FAILED, file + ": " + what + ": " + e.getMessage(), "");
    }
}
