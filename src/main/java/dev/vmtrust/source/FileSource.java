package dev.vmtrust.source;

import dev.vmtrust.platform.Os;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificate files read as they are (PEM, bundles, DER, PKCS#7), each CA labelled {@code <prefix>:<path>}:
 * {@link #files} for the user's {@code sources.files} (a missing file is a rejection: the user named it), and
 * {@link #vendor} for the known vendor CA files ({@link Os#vendorFiles()}; a missing one is skipped silently:
 * that client is not installed). For vendors only an allowlist of exact file names is read, never a folder:
 * the Netskope data folder also holds private material ({@code npaccesskey*.pem}, {@code authtoken.pem},
 * {@code *.p12}).
 */
public final class FileSource implements TrustSource {
    private final String name;
    private final String prefix;
    private final List<Path> paths;
    private final boolean missingIsNormal;
    private final CertFiles reader;
    private final Clock clock;

    private FileSource(
            String name, String prefix, List<Path> paths, boolean missingIsNormal, CertFiles reader, Clock clock) {
        this.name = name;
        this.prefix = prefix;
        this.paths = List.copyOf(paths);
        this.missingIsNormal = missingIsNormal;
        this.reader = reader;
        this.clock = clock;
    }

    /** {@code sources.files}, labelled {@code file:<path>}. */
    public static FileSource files(List<Path> files, CertFiles reader, Clock clock) {
        return new FileSource("files", "file", files, false, reader, clock);
    }

    /** The vendor allowlist ({@link #vendorPaths(Os)} outside tests), labelled {@code vendor:<path>}. */
    public static FileSource vendor(List<Path> paths, CertFiles reader, Clock clock) {
        return new FileSource("vendor", "vendor", paths, true, reader, clock);
    }

    public static List<Path> vendorPaths(Os os) {
        return os.vendorFiles();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Screened<SourcedCa> read() {
        List<SourcedCa> found = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (Path p : paths) {
            if (missingIsNormal && Files.notExists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            String label = prefix + ":" + p;
            Screened<CaCert> r = reader.read(p, label, clock.instant());
            for (CaCert c : r.accepted()) found.add(new SourcedCa(c, label));
            rejected.addAll(r.rejected());
        }
        return new Screened<>(found, rejected);
    }
}
