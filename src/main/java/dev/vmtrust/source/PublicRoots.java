package dev.vmtrust.source;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Os;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.CertParser;
import dev.vmtrust.trust.ParseResult;
import dev.vmtrust.trust.Rejection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Loads the public root set that VMs already trust through their ca-certificates package.
 * {@code FILE}: a PEM file; {@code NONE}: empty; {@code AUTO}: on macOS the SystemRootCertificates
 * keychain read via {@code security find-certificate -a -p}, on Linux the first system bundle that
 * exists (Debian/Ubuntu/Alpine/Arch, then Fedora/RHEL, then openSUSE). The bundle is only read, never
 * written. Its non-CA and expired entries are dropped silently: it is not the user's input. Problems
 * (unreadable, empty) come back as rejections labelled {@code publicRoots:<where>}.
 */
public final class PublicRoots {
    public static final Path MAC_KEYCHAIN = Path.of("/System/Library/Keychains/SystemRootCertificates.keychain");
    public static final List<Path> LINUX_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"), Path.of("/etc/ssl/ca-bundle.pem"));

    public record Loaded(List<CaCert> roots, List<Rejection> problems) {
        public Loaded {
            roots = List.copyOf(roots);
            problems = List.copyOf(problems);
        }
        public static Loaded none() { return new Loaded(List.of(), List.of()); }
    }

    private final Os os;
    private final Path security;
    private final CommandRunner runner;
    private final CertFiles files;
    private final Clock clock;
    private final Path macKeychain;
    private final List<Path> linuxBundles;

    public PublicRoots(Os os, Path security, CommandRunner runner, CertFiles files, Clock clock) {
        this(os, security, runner, files, clock, MAC_KEYCHAIN, LINUX_BUNDLES);
    }

    /** Tests point {@code macKeychain} and {@code linuxBundles} into a temporary folder. */
    public PublicRoots(Os os, Path security, CommandRunner runner, CertFiles files, Clock clock,
                       Path macKeychain, List<Path> linuxBundles) {
        this.os = os;
        this.security = security;
        this.runner = runner;
        this.files = files;
        this.clock = clock;
        this.macKeychain = macKeychain;
        this.linuxBundles = List.copyOf(linuxBundles);
    }

    public Loaded load(Config.PublicRoots config) {
        return switch (config.kind()) {
            case NONE -> Loaded.none();
            case FILE -> fromFile(config.file());
            case AUTO -> switch (os) {
                case MACOS -> fromKeychain();
                case LINUX -> linuxBundles.stream().filter(Files::isRegularFile).findFirst().map(this::fromFile)
                        .orElseGet(() -> problem("publicRoots:" + linuxBundles.get(0),
                                "no system CA bundle found; public CAs are not filtered out"));
                case OTHER -> problem("publicRoots:auto", "no public root set on this OS; public CAs are not filtered out");
            };
        };
    }

    private Loaded fromFile(Path file) {
        return quiet(files.read(file, "publicRoots:" + file, clock.instant()), "publicRoots:" + file);
    }

    private Loaded fromKeychain() {
        String label = "publicRoots:" + macKeychain;
        try {
            CommandResult r = runner.run(List.of(security.toString(), "find-certificate", "-a", "-p", macKeychain.toString()),
                    Duration.ofSeconds(30));
            if (!r.ok()) return problem(label, r.failureMessage());
            return quiet(CertParser.parse(r.stdout().getBytes(StandardCharsets.ISO_8859_1), label, clock.instant()), label);
        } catch (CommandException e) {
            return problem(label, e.getMessage());
        }
    }

    /** Keeps the CAs; the parser's remarks matter only when nothing usable came out. */
    private static Loaded quiet(ParseResult r, String label) {
        if (!r.cas().isEmpty()) return new Loaded(r.cas(), List.of());
        return new Loaded(List.of(), r.rejected().isEmpty() ? List.of(new Rejection(label, "no certificate found")) : r.rejected());
    }

    private static Loaded problem(String label, String reason) {
        return new Loaded(List.of(), List.of(new Rejection(label, reason)));
    }
}
