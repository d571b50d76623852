package dev.vmtrust.source;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Os;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.CertParser;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Loads the reference set of public roots: the roots a VM already trusts through its ca-certificates
 * package (Mozilla's list). {@code FILE}: a PEM file; {@code NONE}: empty; {@code AUTO}: on a Linux host
 * the distro's SHIPPED set ({@link HostFamily#shipped()}: Debian's mozilla/*.crt as selected by
 * /etc/ca-certificates.conf, or the p11-kit files' trusted, not distrusted objects), never the merged
 * bundle (/etc/ssl/certs/ca-certificates.crt holds every locally added CA too); on macOS Homebrew's
 * ca-certificates formula (Mozilla's set) where it is installed, else Apple's SystemRootCertificates as a
 * fallback, which is not the set a VM trusts: with it {@link Reference#byChain()} is false and only exact
 * Apple roots are dropped (see {@link PublicFilter}). macOS's /etc/ssl/cert.pem is not used: no reference
 * text documents what it holds. Files are only read, never written. Non-CA and expired entries are dropped
 * silently: this is not the user's input. Problems (unreadable, empty) come back as rejections labelled
 * {@code publicRoots:<where>}. {@code root} prefixes every fixed path (tests; production {@code /}).
 */
public final class PublicRoots {
    public static final String MAC_KEYCHAIN = "/System/Library/Keychains/SystemRootCertificates.keychain";
    /** Homebrew's ca-certificates formula: Apple silicon prefix, then Intel. */
    public static final List<String> HOMEBREW =
            List.of("/opt/homebrew/etc/ca-certificates/cert.pem", "/usr/local/etc/ca-certificates/cert.pem");
    /** A distro's p11-kit bundle is data, not a user's file: it may exceed the 1 MiB certificate file cap. */
    static final int MAX_SHIPPED_BYTES = 16 * 1024 * 1024;

    /**
     * Which set was used, for {@code list}: {@code kind} is a stable word (debian, alpine, fedora, opensuse,
     * arch, homebrew, apple, file, none, missing, given), {@code path} where it came from (null for none),
     * {@code byChain} false when only exact roots may be dropped (Apple's set is not what VMs ship).
     */
    public record Reference(String kind, String description, String path, int count, boolean byChain) {
        /** {@code public roots: Debian's shipped set (/usr/share/ca-certificates/mozilla, 146 roots)} and the like. */
        public String line() {
            String where = path == null ? "" : " (" + path + ", " + count + " root" + (count == 1 ? "" : "s") + ")";
            String note = byChain || "none".equals(kind) || "missing".equals(kind)
                    ? ""
                    : "; a fallback, not the set VMs ship: only these exact roots are left out, never CAs that chain to them";
            return "public roots: " + description + where + note;
        }
    }

    public record Loaded(List<CaCert> roots, List<Rejection> problems, Reference reference) {
        public Loaded {
            roots = List.copyOf(roots);
            problems = List.copyOf(problems);
        }
        /** Roots from elsewhere (tests, callers with their own set), filtered by chain. */
        public Loaded(List<CaCert> roots, List<Rejection> problems) {
            this(roots, problems, new Reference("given", "a given set", null, roots.size(), true));
        }

        public static Loaded none() {
            return new Loaded(
                    List.of(),
                    List.of(),
                    new Reference("none", "none (sources.publicRoots: none); public CAs are kept", null, 0, true));
        }
    }

    private final Os os;
    private final Path security;
    private final CommandRunner runner;
    private final CertFiles files;
    private final Clock clock;
    private final Path root;

    public PublicRoots(Os os, Path security, CommandRunner runner, CertFiles files, Clock clock) {
        this(os, security, runner, files, clock, Path.of("/"));
    }

    /** Tests pass a temporary {@code root} holding a host layout. */
    public PublicRoots(Os os, Path security, CommandRunner runner, CertFiles files, Clock clock, Path root) {
        this.os = os;
        this.security = security;
        this.runner = runner;
        this.files = files;
        this.clock = clock;
        this.root = root;
    }

    public Loaded load(Config.PublicRoots config) {
        return switch (config.kind()) {
            case NONE -> Loaded.none();
            case FILE ->
                fromFile(
                        config.file(),
                        new Reference(
                                "file",
                                "the file in sources.publicRoots",
                                config.file().toString(),
                                0,
                                true));
            // macOS: a Mozilla set that is there (Homebrew's), Apple's roots as the fallback; Linux: the shipped set
            case AUTO ->
                os.keychainHost()
                        ? HOMEBREW.stream()
                                .filter(p -> Files.isRegularFile(HostFamily.under(root, p)))
                                .findFirst()
                                .map(p -> fromFile(
                                        HostFamily.under(root, p),
                                        new Reference(
                                                "homebrew",
                                                "Homebrew's Mozilla set (ca-certificates formula)",
                                                p,
                                                0,
                                                true)))
                                .orElseGet(this::fromKeychain)
                        : os.hostStore()
                                ? new ShippedRoots(root, files, clock).load(HostFamily.detect(root))
                                : problem(
                                        "publicRoots:auto",
                                        "no public root set on this OS; public CAs are not filtered out");
        };
    }

    private Loaded fromFile(Path file, Reference ref) {
        String label = "publicRoots:" + ref.path();
        CertFiles.Bytes b = files.bytes(file, label, MAX_SHIPPED_BYTES);
        if (b.data() == null) return new Loaded(List.of(), List.of(b.problem()), ref);
        return quiet(CertParser.parse(b.data(), label, clock.instant()), label, ref);
    }

    private Loaded fromKeychain() {
        Path keychain = HostFamily.under(root, MAC_KEYCHAIN);
        String label = "publicRoots:" + keychain;
        Reference ref = new Reference("apple", "Apple's SystemRootCertificates", keychain.toString(), 0, false);
        try {
            CommandResult r = runner.run(
                    List.of(security.toString(), "find-certificate", "-a", "-p", keychain.toString()),
                    Duration.ofSeconds(30));
            if (!r.ok()) return problem(label, r.failureMessage());
            return quiet(
                    CertParser.parse(r.stdout().getBytes(StandardCharsets.ISO_8859_1), label, clock.instant()),
                    label,
                    ref);
        } catch (CommandException e) {
            return problem(label, e.getMessage());
        }
    }

    /** Keeps the CAs; the parser's remarks matter only when nothing usable came out. */
    static Loaded quiet(Screened<CaCert> r, String label, Reference ref) {
        Reference counted = new Reference(
                ref.kind(), ref.description(), ref.path(), r.accepted().size(), ref.byChain());
        if (!r.accepted().isEmpty()) return new Loaded(r.accepted(), List.of(), counted);
        return new Loaded(
                List.of(),
                r.rejected().isEmpty() ? List.of(new Rejection(label, "no certificate found")) : r.rejected(),
                counted);
    }

    static Loaded problem(String label, String reason) {
        return new Loaded(
                List.of(),
                List.of(new Rejection(label, reason)),
                new Reference("missing", "none found; nothing is left out as public", null, 0, true));
    }
}
