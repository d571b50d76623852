package dev.vmtrust.source;

import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.Screened;
import dev.vmtrust.trust.Rejection;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The files named in {@code sources.files} (PEM, bundles or DER), each labelled {@code file:<path>}. */
public final class FileSource implements TrustSource {
    private final List<Path> files;
    private final CertFiles reader;
    private final Clock clock;

    public FileSource(List<Path> files, CertFiles reader, Clock clock) {
        this.files = List.copyOf(files);
        this.reader = reader;
        this.clock = clock;
    }

    @Override public String name() { return "files"; }

    @Override public Screened<SourcedCa> read() {
        List<SourcedCa> found = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (Path p : files) {
            String label = "file:" + p;
            Screened<CaCert> r = reader.read(p, label, clock.instant());
            for (CaCert c : r.accepted()) found.add(new SourcedCa(c, label));
            rejected.addAll(r.rejected());
        }
        return new Screened<>(found, rejected);
    }
}
