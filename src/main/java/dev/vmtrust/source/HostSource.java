package dev.vmtrust.source;

import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.CertParser;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Linux host's own store: only its locally added anchors ({@link HostFamily}), labelled
 * {@code host:<path>} with the path as on the host. Never the distro's shipped roots: Debian's
 * {@code mozilla/} entries are not read here, and p11-kit families' shipped files sit outside the anchors
 * folders. Read: the anchors folders (Debian: {@code *.crt}, subfolders too; others: every file, one level,
 * {@code .p11-kit} files by their trust attributes); p11-kit base folders under /etc: {@code BEGIN TRUSTED
 * CERTIFICATE} files (a plain certificate there carries no trust and is refused with the fix); Debian's
 * ca-certificates.conf lines outside {@code mozilla/}. Certificates in a blocklist folder (same DER or same
 * key) are distrusted and dropped. Every file goes through {@link CertFiles} (regular files, size cap).
 * {@code root} prefixes every path: a temporary folder in tests, {@code /} in production.
 */
public final class HostSource implements TrustSource {
    static final int MAX_ENTRIES = 1000;

    private final Path root;
    private final CertFiles files;
    private final Clock clock;

    public HostSource(Path root, CertFiles files, Clock clock) {
        this.root = root;
        this.files = files;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "host";
    }

    /** {@code sources.host}: {@code auto} = on for a Linux host only (a Mac has no such store). */
    public static boolean enabled(dev.vmtrust.config.Config.Toggle t, dev.vmtrust.platform.Os os) {
        return switch (t) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> os.hostStore();
        };
    }

    public HostFamily family() {
        return HostFamily.detect(root);
    }

    /**
     * What a watcher should watch for this source (folders, as on the host; resolve under the same root):
     * the anchors, p11-kit base and blocklist folders, and Debian's conf's folder (/etc; the conf itself is
     * replaced by rename). Folders that do not exist are included: an admin may create them.
     */
    public static List<String> watchFolders(HostFamily f) {
        List<String> out = new ArrayList<>(f.anchorDirs());
        out.addAll(f.trustedCertDirs());
        out.addAll(f.blocklistDirs());
        if (f.debianLike()) out.add("/etc");
        return out;
    }

    /** Where this source looks, as on the host, for "no CA found". */
    public static List<String> places(HostFamily f) {
        List<String> out = new ArrayList<>(f.anchorDirs());
        out.addAll(f.trustedCertDirs());
        if (f.debianLike())
            out.add(HostFamily.DEBIAN_SHARE + " (lines of " + HostFamily.DEBIAN_CONF + " outside mozilla/)");
        return out;
    }

    @Override
    public Screened<SourcedCa> read() {
        HostFamily f = family();
        Instant now = clock.instant();
        List<SourcedCa> found = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        if (f == HostFamily.UNKNOWN) {
            rejected.add(
                    new Rejection(
                            "host:" + HostFamily.OS_RELEASE,
                            "no known Linux trust store layout "
                                    + "(Debian, Ubuntu, Alpine, Fedora, RHEL, openSUSE, Arch); list your CA file under sources.files"));
            return new Screened<>(found, rejected);
        }
        List<CaCert> blocked = new ArrayList<>();
        for (String dir : f.blocklistDirs()) {
            for (String p : entries(dir, false, false, rejected))
                blocked.addAll(parse(p, now).accepted());
        }
        for (String dir : f.anchorDirs()) {
            for (String p : entries(dir, f.subfolders(), f.debianLike(), rejected))
                add(p, parse(p, now), blocked, found, rejected);
        }
        for (String dir : f.trustedCertDirs()) {
            for (String p : entries(dir, false, false, rejected)) trustedFile(p, now, blocked, found, rejected);
        }
        if (f.debianLike()) {
            CertFiles.Bytes conf =
                    files.bytes(under(HostFamily.DEBIAN_CONF), "host:" + HostFamily.DEBIAN_CONF, CertFiles.MAX_BYTES);
            if (conf.data() != null) {
                for (String name : DebianCaConf.parse(new String(conf.data(), StandardCharsets.UTF_8))
                        .localAdditions()) {
                    String p = HostFamily.DEBIAN_SHARE + "/" + name;
                    if (HostFamily.resolve(root, p) == null) {
                        rejected.add(new Rejection(
                                "host:" + p,
                                "this name cannot be read without a UTF-8 locale; skipped"
                                        + " (set LANG=C.UTF-8 for vmtrust)"));
                        continue;
                    }
                    add(p, parse(p, now), blocked, found, rejected);
                }
            }
        }
        return new Screened<>(found, rejected);
    }

    /** A file in a p11-kit base folder: TRUSTED CERTIFICATE blocks or a .p11-kit file carry trust; plain ones do not. */
    private void trustedFile(
            String p, Instant now, List<CaCert> blocked, List<SourcedCa> found, List<Rejection> rejected) {
        String label = "host:" + p;
        CertFiles.Bytes b = files.bytes(under(p), label, CertFiles.MAX_BYTES);
        if (b.data() == null) {
            rejected.add(b.problem());
            return;
        }
        String text = new String(b.data(), StandardCharsets.ISO_8859_1);
        if (p.endsWith(".p11-kit")) {
            add(
                    p,
                    CertParser.parse(
                            P11KitFile.trustedCertificates(text).getBytes(StandardCharsets.ISO_8859_1), label, now),
                    blocked,
                    found,
                    rejected);
        } else if (text.contains("-----BEGIN TRUSTED CERTIFICATE-----")) {
            add(p, CertParser.parse(b.data(), label, now), blocked, found, rejected);
        } else if (text.contains("-----BEGIN ") || (b.data().length > 0 && (b.data()[0] & 0xff) == 0x30)) {
            String anchors = p.substring(0, p.lastIndexOf('/')) + "/anchors/";
            rejected.add(new Rejection(
                    label,
                    "a plain certificate here carries no trust (p11-kit reads only BEGIN TRUSTED "
                            + "CERTIFICATE files in this folder); skipped. To trust it, move it to " + anchors));
        } // other files (a README) are not certificates and not meant to be
    }

    private Screened<CaCert> parse(String p, Instant now) {
        if (p.endsWith(".p11-kit")) {
            CertFiles.Bytes b = files.bytes(under(p), "host:" + p, CertFiles.MAX_BYTES);
            if (b.data() == null) return new Screened<>(List.of(), List.of(b.problem()));
            String pem = P11KitFile.trustedCertificates(new String(b.data(), StandardCharsets.ISO_8859_1));
            return CertParser.parse(pem.getBytes(StandardCharsets.ISO_8859_1), "host:" + p, now);
        }
        return files.read(under(p), "host:" + p, now);
    }

    private static void add(
            String p, Screened<CaCert> r, List<CaCert> blocked, List<SourcedCa> found, List<Rejection> rejected) {
        String label = "host:" + p;
        rejected.addAll(r.rejected());
        for (CaCert c : r.accepted()) {
            if (blocked.stream()
                    .anyMatch(b -> b.sha256().equals(c.sha256())
                            || Arrays.equals(
                                    b.x509().getPublicKey().getEncoded(),
                                    c.x509().getPublicKey().getEncoded()))) {
                rejected.add(
                        new Rejection(label, "\"" + c.subject() + "\" is distrusted by the host's blocklist; skipped"));
            } else {
                found.add(new SourcedCa(c, label));
            }
        }
    }

    /**
     * The files of {@code dir} (as on the host), sorted; with {@code subfolders} recursively (symlinked
     * folders are not followed). {@code crtOnly}: names ending {@code .crt} (Debian's tools read no others).
     * At most {@link #MAX_ENTRIES}; a folder that does not exist has no entries.
     */
    private List<String> entries(String dir, boolean subfolders, boolean crtOnly, List<Rejection> rejected) {
        Path d = under(dir);
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(d)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = subfolders ? Files.walk(d) : Files.list(d)) {
            s.filter(p -> !p.equals(d))
                    .filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !(Files.isSymbolicLink(p) && Files.isDirectory(p)))
                    .filter(p -> !crtOnly || p.getFileName().toString().endsWith(".crt"))
                    .map(p -> "/" + root.relativize(p).toString())
                    .sorted()
                    .limit(MAX_ENTRIES + 1L)
                    .forEach(out::add);
        } catch (IOException | java.io.UncheckedIOException | SecurityException e) {
            rejected.add(new Rejection(
                    "host:" + dir,
                    "cannot list: "
                            + CertFiles.osReason(e instanceof java.io.UncheckedIOException u ? u.getCause() : e)));
            return List.of();
        }
        if (out.size() > MAX_ENTRIES) {
            out.remove(MAX_ENTRIES);
            rejected.add(new Rejection(
                    "host:" + dir,
                    "holds more than " + MAX_ENTRIES + " files; only the first " + MAX_ENTRIES + " by name were read"));
        }
        return out;
    }

    private Path under(String absolute) {
        return HostFamily.under(root, absolute);
    }
}
