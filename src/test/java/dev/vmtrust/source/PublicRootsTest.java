package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.testing.FakeSecurity;
import dev.vmtrust.testing.HostLayouts;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.Rejection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Public roots from layouts under a temporary root and the stand-in security only; never the host's own store. */
class PublicRootsTest {
    static final Config.PublicRoots AUTO = new Config.PublicRoots(Config.PublicRoots.Kind.AUTO, null);

    @TempDir
    Path dir;

    private final TestCerts.Issued root = TestCerts.rootCa("CN=Public Root,O=Public Trust");
    private final TestCerts.Issued other = TestCerts.rootCa("CN=Other Public Root,O=Public Trust");
    private final TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private final TestCerts.Issued expired = TestCerts.rootCa(
            "CN=Old Public Root", Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2010-01-01T00:00:00Z"));
    private final TestCerts.Issued leaf = TestCerts.leaf("CN=noise.test", root, "noise.test");

    private PublicRoots roots(Os os, Path security) {
        return new PublicRoots(os, security, new ProcessRunner(), new CertFiles(), Clock.systemUTC(), dir);
    }

    /** A Debian host whose merged bundle also holds the locally added corporate root, as update-ca-certificates makes it. */
    private HostLayouts debian() {
        return new HostLayouts(dir)
                .osRelease("debian", null)
                .write("/usr/share/ca-certificates/mozilla/Public_Root.crt", root.pem())
                .write("/usr/share/ca-certificates/mozilla/Other_Public_Root.crt", other.pem())
                .write(
                        "/etc/ca-certificates.conf",
                        "# comment\nmozilla/Public_Root.crt\n!mozilla/Other_Public_Root.crt\n")
                .write("/usr/local/share/ca-certificates/corp.crt", corp.pem())
                .write("/etc/ssl/certs/ca-certificates.crt", root.pem() + corp.pem());
    }

    @Test
    void aFileYieldsItsValidCasAndItsNoiseIsDroppedSilently() throws IOException {
        Path f = Files.writeString(dir.resolve("roots.pem"), root.pem() + expired.pem() + leaf.pem());
        PublicRoots.Loaded l = roots(Os.LINUX, null).load(new Config.PublicRoots(Config.PublicRoots.Kind.FILE, f));
        assertThat(l.roots()).containsExactly(root.cert());
        assertThat(l.problems()).isEmpty();
        assertThat(l.reference().line()).isEqualTo("public roots: the file in sources.publicRoots (" + f + ", 1 root)");
    }

    @Test
    void noneIsEmpty() {
        PublicRoots.Loaded l = roots(Os.LINUX, null).load(new Config.PublicRoots(Config.PublicRoots.Kind.NONE, null));
        assertThat(l.roots()).isEmpty();
        assertThat(l.reference().line())
                .isEqualTo("public roots: none (sources.publicRoots: none); public CAs are kept");
    }

    @Test
    void onADebianHostAutoIsTheShippedSetSelectedByTheConfNeverTheMergedBundle() throws IOException {
        HostLayouts h = debian();
        byte[] before = Files.readAllBytes(h.path("/etc/ssl/certs/ca-certificates.crt"));
        PublicRoots.Loaded l = roots(Os.LINUX, null).load(AUTO);
        assertThat(l.roots()).containsExactly(root.cert());
        assertThat(l.problems()).isEmpty();
        assertThat(l.reference())
                .isEqualTo(new PublicRoots.Reference(
                        "debian", "Debian's shipped set", "/usr/share/ca-certificates/mozilla", 1, true));
        assertThat(l.reference().line())
                .isEqualTo("public roots: Debian's shipped set (/usr/share/ca-certificates/mozilla, 1 root)");
        assertThat(Files.readAllBytes(h.path("/etc/ssl/certs/ca-certificates.crt")))
                .isEqualTo(before);
    }

    @Test
    void anUbuntuHostIsDebianLikeAndWithoutAConfEveryShippedCrtCounts() {
        new HostLayouts(dir)
                .osRelease("ubuntu", "debian")
                .write("/usr/share/ca-certificates/mozilla/Public_Root.crt", root.pem())
                .write("/usr/share/ca-certificates/mozilla/Other_Public_Root.crt", other.pem());
        assertThat(roots(Os.LINUX, null).load(AUTO).roots()).containsExactlyInAnyOrder(root.cert(), other.cert());
    }

    @Test
    void fedoraArchAndOpenSuseReadTrustedNotDistrustedObjectsOfTheirP11KitFiles() {
        String p11 = HostLayouts.p11Object(root, true, false)
                + HostLayouts.p11Extension(root)
                + HostLayouts.p11Object(other, false, true)
                + HostLayouts.p11Object(expired, true, false);
        new HostLayouts(dir.resolve("fedora"))
                .osRelease("rocky", "rhel centos fedora")
                .write("/usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit", p11)
                .write("/etc/pki/tls/certs/ca-bundle.crt", corp.pem());
        new HostLayouts(dir.resolve("arch"))
                .osRelease("arch", null)
                .write("/usr/share/ca-certificates/trust-source/mozilla.trust.p11-kit", p11);
        new HostLayouts(dir.resolve("suse"))
                .osRelease("opensuse-tumbleweed", "opensuse suse")
                .write("/usr/share/pki/trust/a.p11-kit", HostLayouts.p11Object(root, true, false))
                .write("/usr/share/pki/trust/b.p11-kit", HostLayouts.p11Object(other, true, true));
        for (String family : new String[] {"fedora", "arch", "suse"}) {
            PublicRoots.Loaded l = new PublicRoots(
                            Os.LINUX,
                            null,
                            new ProcessRunner(),
                            new CertFiles(),
                            Clock.systemUTC(),
                            dir.resolve(family))
                    .load(AUTO);
            assertThat(l.roots()).as(family).containsExactly(root.cert());
            assertThat(l.problems()).as(family).isEmpty();
        }
        PublicRoots.Loaded fedora = new PublicRoots(
                        Os.LINUX, null, new ProcessRunner(), new CertFiles(), Clock.systemUTC(), dir.resolve("fedora"))
                .load(AUTO);
        assertThat(fedora.reference().line())
                .isEqualTo(
                        "public roots: Fedora's shipped set (/usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit, 1 root)");
    }

    @Test
    void aLinuxHostWithoutItsShippedSetSaysPublicCasAreNotFiltered() {
        new HostLayouts(dir).osRelease("debian", null);
        PublicRoots.Loaded l = roots(Os.LINUX, null).load(AUTO);
        assertThat(l.roots()).isEmpty();
        assertThat(l.problems())
                .containsExactly(new Rejection(
                        "publicRoots:/usr/share/ca-certificates/mozilla",
                        "Debian/Ubuntu ships its public roots here, but it is missing; public CAs are not filtered out"
                                + " (install the distro's ca-certificates package)"));
    }

    @Test
    void onMacosHomebrewsMozillaSetComesBeforeApplesRoots() throws IOException {
        Path security = FakeSecurity.install(dir.resolve("tools"));
        FakeSecurity.keychain(dir.resolve("System/Library/Keychains/SystemRootCertificates.keychain"), other);
        new HostLayouts(dir).write("/opt/homebrew/etc/ca-certificates/cert.pem", root.pem());
        PublicRoots.Loaded l = roots(Os.MACOS, security).load(AUTO);
        assertThat(l.roots()).containsExactly(root.cert());
        assertThat(l.reference().line())
                .isEqualTo("public roots: Homebrew's Mozilla set (ca-certificates formula)"
                        + " (/opt/homebrew/etc/ca-certificates/cert.pem, 1 root)");
    }

    @Test
    void onMacosWithoutHomebrewApplesRootsAreAFallbackThatDropsNoChain() throws IOException {
        Path security = FakeSecurity.install(dir.resolve("tools"));
        Path kc = FakeSecurity.keychain(
                dir.resolve("System/Library/Keychains/SystemRootCertificates.keychain"), root, expired);
        PublicRoots.Loaded l = roots(Os.MACOS, security).load(AUTO);
        assertThat(l.roots()).containsExactly(root.cert());
        assertThat(l.problems()).isEmpty();
        assertThat(l.reference().byChain()).isFalse();
        assertThat(l.reference().line())
                .isEqualTo(
                        "public roots: Apple's SystemRootCertificates (" + kc + ", 1 root);"
                                + " a fallback, not the set VMs ship: only these exact roots are left out, never CAs that chain to them");
    }

    @Test
    void anUnreadableAppleSetIsReported() throws IOException {
        Path security = FakeSecurity.install(dir.resolve("tools"));
        Path kc = dir.resolve("System/Library/Keychains/SystemRootCertificates.keychain");
        PublicRoots.Loaded l = roots(Os.MACOS, security).load(AUTO);
        assertThat(l.roots()).isEmpty();
        assertThat(l.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("publicRoots:" + kc);
            assertThat(p.reason())
                    .startsWith("`" + security + " find-certificate -a -p ")
                    .endsWith(
                            "` exited 50: security: SecKeychainSearchCopyNext: The specified keychain could not be found.");
        });
    }
}
