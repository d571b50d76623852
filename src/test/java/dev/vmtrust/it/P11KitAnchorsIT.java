package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.source.CertFiles;
import dev.vmtrust.source.HostSource;
import dev.vmtrust.source.SourcedCa;
import dev.vmtrust.testing.HostLayouts;
import dev.vmtrust.testing.Require;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cross-checks the host source's p11-kit families against p11-kit itself: {@code trust list --filter=ca-anchors}
 * run in a private mount namespace whose /usr/share/p11-kit/modules holds a trust module pointed at a fixture
 * layout (x-init-reserved: paths=...). Both must name the same anchors (blocklist honoured, BEGIN TRUSTED
 * CERTIFICATE files in the base folder trusted). Needs root, unshare and trust (Debian package p11-kit).
 * One known difference, on purpose: vmtrust also honours the older {@code blacklist/} folder name, which
 * p11-kit 0.24 no longer reads; an admin's distrust is never overridden.
 */
class P11KitAnchorsIT {
    @TempDir
    Path tmp;

    @BeforeEach
    void prerequisites() {
        SandboxSupport.assumeSandbox();
        Require.tool("p11-kit cross-check", "/usr/bin/trust");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "fedora, /etc/pki/ca-trust/source, /usr/share/pki/ca-trust-source, blocklist",
        "opensuse-tumbleweed, /etc/pki/trust, /usr/share/pki/trust, blocklist",
        "arch, /etc/ca-certificates/trust-source, /usr/share/ca-certificates/trust-source, blocklist"
    })
    void theHostSourceFindsTheAnchorsP11KitFinds(String id, String etc, String usr, String blocklist) throws Exception {
        TestCerts.Issued a = TestCerts.rootCa("CN=Anchor A");
        TestCerts.Issued b = TestCerts.rootCa("CN=Blocked B");
        TestCerts.Issued c = TestCerts.rootCa("CN=Trusted C");
        TestCerts.Issued d = TestCerts.rootCa("CN=Shared D");
        HostLayouts h = new HostLayouts(tmp.resolve("root"))
                .osRelease(id, null)
                .write(etc + "/anchors/a.pem", a.pem())
                .write(etc + "/anchors/b.pem", b.pem())
                .write(etc + "/" + blocklist + "/b.pem", b.pem())
                .write(etc + "/c.trust.pem", HostLayouts.trustedPem(c))
                .write(usr + "/anchors/d.der", d.der());
        Path modules = Files.createDirectories(tmp.resolve("modules"));
        Files.writeString(
                modules.resolve("p11-kit-trust.module"),
                "module: p11-kit-trust.so\ntrust-policy: yes\npriority: 1\n" + "x-init-reserved: paths=" + h.path(etc)
                        + ":" + h.path(usr) + "\n");
        ProcessBuilder pb = new ProcessBuilder(
                        "unshare",
                        "-m",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount --bind \"$M\" /usr/share/p11-kit/modules && trust list --filter=ca-anchors")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("trust.txt").toFile());
        pb.environment().putAll(Map.of("M", modules.toString()));
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String listing = Files.readString(tmp.resolve("trust.txt"));
        assertThat(p.exitValue()).as(listing).isZero();
        List<String> p11kit = listing.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("label: "))
                .map(l -> "CN=" + l.substring("label: ".length()))
                .sorted()
                .toList();

        List<String> ours = new HostSource(h.root(), new CertFiles(), Clock.systemUTC())
                .read().accepted().stream()
                        .map(SourcedCa::cert)
                        .map(x -> x.subject())
                        .sorted()
                        .toList();

        assertThat(p11kit).as(listing).containsExactly("CN=Anchor A", "CN=Shared D", "CN=Trusted C");
        assertThat(ours).isEqualTo(p11kit);
    }
}
