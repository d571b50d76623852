package dev.vmtrust.reconcile;

import dev.vmtrust.json.Json;
import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.BoundedFiles;
import dev.vmtrust.platform.Ownership;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The state folder (DESIGN.md): {@code status.json} (the last report), {@code ca-set.pem} (the CA set),
 * {@code bundle.pem} (public roots + CA set). Every file is replaced atomically, mode 0644: readers (host
 * tools through {@code vmtrust env}) never see a partial bundle. Unchanged content is not rewritten.
 */
public final class StateStore {
    public static final String STATUS = "status.json";
    public static final String CA_SET = "ca-set.pem";
    public static final String BUNDLE = "bundle.pem";
    private static final String MODE = "rw-r--r--";
    private final Path dir;
    private final AtomicFiles files;

    public StateStore(Path dir) {
        this(dir, AtomicFiles.SYSTEM);
    }

    /** {@code files}: the writer (tests pass one whose file-system calls fail). */
    public StateStore(Path dir, AtomicFiles files) {
        this.dir = dir;
        this.files = files;
    }

    public Path dir() {
        return dir;
    }

    public Path caSetFile() {
        return dir.resolve(CA_SET);
    }

    public Path bundleFile() {
        return dir.resolve(BUNDLE);
    }

    /**
     * Removes temp files that writers killed mid-write left in the state folder (their PID is gone), including
     * those of files this reconcile does not rewrite. Called under the host lock.
     */
    public void sweepTemps() {
        for (String name : new String[] {STATUS, CA_SET, BUNDLE, "notify-state.json"}) {
            dev.vmtrust.platform.TempFiles.sweep(dir, name, dev.vmtrust.platform.TempFiles.SUFFIX);
        }
    }

    public void writeReport(Report report) throws IOException {
        write(dir.resolve(STATUS), (Json.write(report.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The last report, or empty when no reconcile ever ran. A damaged file is an IOException naming it. */
    public Optional<Report> readReport() throws IOException {
        Path f = dir.resolve(STATUS);
        String text;
        try {
            text = BoundedFiles.readString(f, BoundedFiles.STATE_JSON, "a status file");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (BoundedFiles.RefusedFileException e) {
            throw new StateFolderException(e.getMessage() + "; remove it, `vmtrust sync` writes a new one");
        }
        try {
            return Optional.of(Report.fromJson(Json.asObject(Json.parse(text))));
        } catch (RuntimeException e) {
            throw new IOException(f + " is damaged (" + e.getMessage() + "); run `vmtrust sync` to rewrite it", e);
        }
    }

    /** Writes ca-set.pem and bundle.pem ({@code publicRootsPem} first, then the set). */
    public void writeBundles(String caSetPem, String publicRootsPem) throws IOException {
        write(caSetFile(), caSetPem.getBytes(StandardCharsets.US_ASCII));
        write(bundleFile(), (publicRootsPem + caSetPem).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Creates the state folder (and missing parents) as rwxr-xr-x whatever the umask. An existing folder (or
     * the folder a link leads to) is used only when it is this user's and nobody else may write it: other users
     * must never be able to swap the bundle host tools trust. Its mode is never changed: a folder vmtrust did
     * not create may be shared (a link to /tmp), and chmod'ing it would break its other users.
     */
    public static void ensureDir(Path dir) throws IOException {
        if (AtomicFiles.createDirectories(dir)) return;
        if (!Ownership.ownedByMe(dir)) {
            throw new StateFolderException(dir + ": the state folder belongs to " + Ownership.ownerName(dir)
                    + ", not to this user; vmtrust will not use it: remove it, or set XDG_STATE_HOME to a folder of"
                    + " your own");
        }
        Set<PosixFilePermission> mode = Ownership.modeOf(dir);
        if (mode != null
                && (mode.contains(PosixFilePermission.GROUP_WRITE)
                        || mode.contains(PosixFilePermission.OTHERS_WRITE))) {
            throw new StateFolderException(dir + ": the state folder is writable by other users ("
                    + PosixFilePermissions.toString(mode) + "); vmtrust will not use it or change its mode: if it is"
                    + " yours alone, run chmod go-w " + dir + "; else set XDG_STATE_HOME to a folder of your own");
        }
    }

    private void write(Path file, byte[] data) throws IOException {
        ensureDir(file.toAbsolutePath().getParent());
        if (AtomicFiles.sameContent(file, data)) return;
        files.write(file, data, MODE);
    }
}
