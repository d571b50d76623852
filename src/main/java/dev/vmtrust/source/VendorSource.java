package dev.vmtrust.source;

import dev.vmtrust.platform.Os;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.Screened;
import dev.vmtrust.trust.Rejection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Known vendor CA files, labelled {@code vendor:<path>}. Only an allowlist of exact file names is read,
 * never a folder: the Netskope data folder also holds private material ({@code npaccesskey*.pem},
 * {@code authtoken.pem}, {@code *.p12}). A vendor file that does not exist is skipped silently.
 */
public final class VendorSource implements TrustSource {

    private final List<Path> paths;
    private final CertFiles reader;
    private final Clock clock;

    /** {@code paths}: the allowlist; {@link #defaultPaths(Os)} outside tests. */
    public VendorSource(List<Path> paths, CertFiles reader, Clock clock) {
        this.paths = List.copyOf(paths);
        this.reader = reader;
        this.clock = clock;
    }

    public static List<Path> defaultPaths(Os os) {
        return os.vendorFiles();
    }

    @Override public String name() { return "vendor"; }

    @Override public Screened<SourcedCa> read() {
        List<SourcedCa> found = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (Path p : paths) {
            if (Files.notExists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            String label = "vendor:" + p;
            Screened<CaCert> r = reader.read(p, label, clock.instant());
            for (CaCert c : r.accepted()) found.add(new SourcedCa(c, label));
            rejected.addAll(r.rejected());
        }
        return new Screened<>(found, rejected);
    }
}
