package dev.vmtrust.source;

import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.CertParser;
import dev.vmtrust.trust.Screened;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The public roots a Linux distro ships (what its VMs, Ubuntu's ca-certificates and the like, already
 * trust): Debian/Alpine {@code /usr/share/ca-certificates/mozilla/*.crt} selected by
 * {@code /etc/ca-certificates.conf} (every {@code .crt} there when the file is missing), Fedora and Arch
 * one p11-kit file, openSUSE every {@code *.p11-kit} in {@code /usr/share/pki/trust}. Never the merged
 * bundle and never a locally added anchor. Paths resolve under {@code root}; labels and the reference
 * show them as on the host.
 */
final class ShippedRoots {
    private final Path root;
    private final CertFiles files;
    private final Clock clock;

    ShippedRoots(Path root, CertFiles files, Clock clock) {
        this.root = root;
        this.files = files;
        this.clock = clock;
    }

    PublicRoots.Loaded load(HostFamily f) {
        if (f == HostFamily.UNKNOWN)
            return PublicRoots.problem(
                    "publicRoots:auto",
                    "no shipped root set of a known Linux distro found; public CAs are not filtered out");
        String shipped = f.shipped();
        PublicRoots.Reference ref = new PublicRoots.Reference(
                f.name().toLowerCase(Locale.ROOT).replace("suse", "opensuse"),
                f.possessive() + " shipped set",
                shipped,
                0,
                true);
        String label = "publicRoots:" + shipped;
        Instant now = clock.instant();
        Map<String, CaCert> roots = new LinkedHashMap<>();
        if (f.debianLike()) {
            for (String p : debianSelection(shipped)) {
                Path file = HostFamily.resolve(root, p);
                if (file != null)
                    files.read(file, label, now).accepted().forEach(c -> roots.putIfAbsent(c.sha256(), c));
            }
        } else {
            List<String> p11 = f == HostFamily.SUSE ? listed(shipped, ".p11-kit") : List.of(shipped);
            for (String p : p11) {
                CertFiles.Bytes b = files.bytes(HostFamily.under(root, p), label, PublicRoots.MAX_SHIPPED_BYTES);
                if (b.data() == null) continue;
                String pem = P11KitFile.trustedCertificates(new String(b.data(), StandardCharsets.ISO_8859_1));
                CertParser.parse(pem.getBytes(StandardCharsets.ISO_8859_1), label, now)
                        .accepted()
                        .forEach(c -> roots.putIfAbsent(c.sha256(), c));
            }
        }
        if (roots.isEmpty() && !Files.exists(HostFamily.under(root, shipped))) {
            return PublicRoots.problem(
                    label,
                    f.displayName() + " ships its public roots here, but it is missing;"
                            + " public CAs are not filtered out (install the distro's ca-certificates package)");
        }
        return PublicRoots.quiet(new Screened<>(List.copyOf(roots.values()), List.of()), label, ref);
    }

    /** The shipped {@code .crt} files as on the host: the conf's mozilla/ lines, else every .crt in the folder. */
    private List<String> debianSelection(String mozillaDir) {
        CertFiles.Bytes conf = files.bytes(HostFamily.under(root, HostFamily.DEBIAN_CONF), "conf", CertFiles.MAX_BYTES);
        if (conf.data() == null) return listed(mozillaDir, ".crt");
        List<String> out = new ArrayList<>();
        for (String name : DebianCaConf.parse(new String(conf.data(), StandardCharsets.UTF_8))
                .shipped()) {
            out.add(HostFamily.DEBIAN_SHARE + "/" + name);
        }
        return out;
    }

    /** Files of {@code dir} (one level) ending in {@code suffix}, sorted, as on the host. */
    private List<String> listed(String dir, String suffix) {
        try (Stream<Path> s = Files.list(HostFamily.under(root, dir))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix))
                    .sorted()
                    .map(n -> dir + "/" + n)
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
