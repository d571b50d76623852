package dev.vmtrust.target;

import dev.vmtrust.reconcile.TargetReport.Persisted;
import dev.vmtrust.target.provision.ProvisionFile;
import dev.vmtrust.target.provision.ProvisionYamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The persisted part of a target: vmtrust's provision entry in the profile's colima.yaml or the
 * instance's lima.yaml, so every boot installs the set even when the agent is not running.
 * Only our entry ever changes (see {@link ProvisionFile}); a broken file is reported, never touched.
 */
public final class PersistSync {
    /** {@code diff} is the unified diff of the planned change (dry run), else empty. */
    public record Outcome(Persisted persisted, String error, String diff) {
        static Outcome of(Persisted p) { return new Outcome(p, null, ""); }
    }

    private PersistSync() {}

    /**
     * Upserts the entry whose script is {@code script}. A missing file is skipped unless
     * {@code createIfMissing} (Colima's template). Never throws.
     */
    public static Outcome upsert(Path file, String script, boolean dryRun, boolean createIfMissing) {
        if (!createIfMissing && !Files.exists(file)) return Outcome.of(Persisted.SKIPPED);
        try {
            ProvisionFile pf = new ProvisionFile(file, createIfMissing);
            if (dryRun) {
                String diff = pf.diff(script);
                return diff.isEmpty() ? Outcome.of(Persisted.UNCHANGED) : new Outcome(Persisted.WOULD_UPDATE, null, diff);
            }
            return switch (pf.upsert(script)) {
                case UNCHANGED -> Outcome.of(Persisted.UNCHANGED);
                default -> Outcome.of(Persisted.UPDATED);
            };
        } catch (ProvisionYamlException e) {
            return new Outcome(Persisted.FAILED, e.file().isPresent() ? e.getMessage() : e.inFile(file).getMessage(), "");
        } catch (IOException e) {
            return new Outcome(Persisted.FAILED, file + ": cannot update the provision entry: " + e.getMessage(), "");
        }
    }

    /** Removes our entry (uninstall --purge). */
    public static Outcome remove(Path file, boolean dryRun) {
        if (!Files.exists(file)) return Outcome.of(Persisted.SKIPPED);
        try {
            ProvisionFile pf = new ProvisionFile(file);
            if (dryRun) {
                String diff = pf.removeDiff();
                return diff.isEmpty() ? Outcome.of(Persisted.UNCHANGED) : new Outcome(Persisted.WOULD_UPDATE, null, diff);
            }
            return pf.remove() == ProvisionFile.Outcome.REMOVED ? Outcome.of(Persisted.UPDATED) : Outcome.of(Persisted.UNCHANGED);
        } catch (ProvisionYamlException e) {
            return new Outcome(Persisted.FAILED, e.file().isPresent() ? e.getMessage() : e.inFile(file).getMessage(), "");
        } catch (IOException e) {
            return new Outcome(Persisted.FAILED, file + ": cannot remove the provision entry: " + e.getMessage(), "");
        }
    }
}
