package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Os;
import dev.vmtrust.testing.HostLayouts;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host store read from per-family layouts under a temporary root; the machine's own store is never read. */
class HostSourceTest {
    @TempDir
    Path dir;

    private final TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private final TestCerts.Issued team = TestCerts.rootCa("CN=Team Root,O=Corp");
    private final TestCerts.Issued shipped = TestCerts.rootCa("CN=Public Root,O=Public Trust");
    private final TestCerts.Issued old = TestCerts.rootCa(
            "CN=Old Root,O=Corp", Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2010-01-01T00:00:00Z"));

    private Screened<SourcedCa> read(HostLayouts h) {
        return new HostSource(h.root(), new CertFiles(), Clock.systemUTC()).read();
    }

    @Test
    void debianTakesCrtFilesInSubfoldersAndConfAdditionsButNeverTheShippedMozillaRoots() {
        HostLayouts h = new HostLayouts(dir)
                .osRelease("debian", null)
                .write("/usr/local/share/ca-certificates/corp.crt", corp.pem())
                .write("/usr/local/share/ca-certificates/team/team.crt", team.pem())
                .write("/usr/local/share/ca-certificates/notes.pem", shipped.pem())
                .write("/usr/share/ca-certificates/mozilla/Public_Root.crt", shipped.pem())
                .write("/usr/share/ca-certificates/local/old.crt", old.pem())
                .write("/usr/share/ca-certificates/local/off.crt", shipped.pem())
                .write(
                        "/etc/ca-certificates.conf",
                        "mozilla/Public_Root.crt\nlocal/old.crt\n!local/off.crt\n../../etc/passwd.crt\n");
        Screened<SourcedCa> r = read(h);
        assertThat(r.accepted())
                .containsExactly(
                        new SourcedCa(corp.cert(), "host:/usr/local/share/ca-certificates/corp.crt"),
                        new SourcedCa(team.cert(), "host:/usr/local/share/ca-certificates/team/team.crt"));
        assertThat(r.rejected())
                .containsExactly(new Rejection(
                        "host:/usr/share/ca-certificates/local/old.crt",
                        "\"CN=Old Root,O=Corp\" expired on 2010-01-01T00:00:00Z; skipped"));
    }

    @Test
    void alpineReadsItsAnchorsFolderFlat() {
        HostLayouts h = new HostLayouts(dir)
                .osRelease("alpine", null)
                .write("/usr/local/share/ca-certificates/corp.crt", corp.pem())
                .write("/usr/local/share/ca-certificates/sub/team.crt", team.pem());
        assertThat(read(h).accepted()).extracting(SourcedCa::cert).containsExactly(corp.cert());
    }

    @Test
    void fedoraTakesPemAndDerAnchorsAndTrustedCertificatesAndHonoursTheBlocklist() {
        HostLayouts h = new HostLayouts(dir)
                .osRelease("fedora", null)
                .write("/etc/pki/ca-trust/source/anchors/corp.pem", corp.pem())
                .write("/usr/share/pki/ca-trust-source/anchors/team.der", team.der())
                .write("/etc/pki/ca-trust/source/old-style.pem", HostLayouts.trustedPem(old))
                .write("/etc/pki/ca-trust/source/plain.pem", shipped.pem())
                .write("/etc/pki/ca-trust/source/README", "This directory holds trust sources.\n")
                .write("/etc/pki/ca-trust/source/blocklist/team.pem", team.pem())
                .write(
                        "/usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit",
                        HostLayouts.p11Object(shipped, true, false));
        Screened<SourcedCa> r = read(h);
        assertThat(r.accepted())
                .containsExactly(new SourcedCa(corp.cert(), "host:/etc/pki/ca-trust/source/anchors/corp.pem"));
        assertThat(r.rejected())
                .containsExactly(
                        new Rejection(
                                "host:/usr/share/pki/ca-trust-source/anchors/team.der",
                                "\"CN=Team Root,O=Corp\" is distrusted by the host's blocklist; skipped"),
                        new Rejection(
                                "host:/etc/pki/ca-trust/source/old-style.pem",
                                "\"CN=Old Root,O=Corp\" expired on 2010-01-01T00:00:00Z; skipped"),
                        new Rejection(
                                "host:/etc/pki/ca-trust/source/plain.pem",
                                "a plain certificate here carries no trust (p11-kit reads"
                                        + " only BEGIN TRUSTED CERTIFICATE files in this folder); skipped. To trust it, move it to /etc/pki/ca-trust/source/anchors/"));
    }

    @Test
    void aTrustedCertificateFileInFedorasSourceFolderIsAnAnchor() {
        HostLayouts h = new HostLayouts(dir)
                .osRelease("rhel", "fedora")
                .write("/etc/pki/ca-trust/source/corp.trust.crt", HostLayouts.trustedPem(corp));
        assertThat(read(h).accepted())
                .containsExactly(new SourcedCa(corp.cert(), "host:/etc/pki/ca-trust/source/corp.trust.crt"));
    }

    @Test
    void openSuseAndArchReadTheirAnchorsFoldersAndNotTheirShippedSets() {
        HostLayouts suse = new HostLayouts(dir.resolve("suse"))
                .osRelease("opensuse-leap", "suse opensuse")
                .write("/etc/pki/trust/anchors/corp.pem", corp.pem())
                .write("/usr/share/pki/trust/anchors/team.crt", team.pem())
                .write("/usr/share/pki/trust/mozilla.p11-kit", HostLayouts.p11Object(shipped, true, false));
        HostLayouts arch = new HostLayouts(dir.resolve("arch"))
                .osRelease("manjaro", "arch")
                .write(
                        "/etc/ca-certificates/trust-source/anchors/corp.p11-kit",
                        HostLayouts.p11Object(corp, true, false) + HostLayouts.p11Object(team, true, true))
                .write(
                        "/usr/share/ca-certificates/trust-source/mozilla.trust.p11-kit",
                        HostLayouts.p11Object(shipped, true, false));
        assertThat(read(suse).accepted()).extracting(SourcedCa::cert).containsExactly(corp.cert(), team.cert());
        assertThat(read(arch).accepted())
                .containsExactly(
                        new SourcedCa(corp.cert(), "host:/etc/ca-certificates/trust-source/anchors/corp.p11-kit"));
    }

    @Test
    void withoutOsReleaseTheFamilyIsTheOneWhoseAnchorsFolderExists() {
        HostLayouts h = new HostLayouts(dir).write("/etc/pki/ca-trust/source/anchors/corp.pem", corp.pem());
        assertThat(HostFamily.detect(h.root())).isEqualTo(HostFamily.FEDORA);
        assertThat(HostFamily.detect(dir.resolve("empty"))).isEqualTo(HostFamily.UNKNOWN);
    }

    @Test
    void anAnchorThatIsNotARegularFileIsRefusedWithoutBeingOpened() throws Exception {
        HostLayouts h = new HostLayouts(dir).osRelease("debian", null).dir("/usr/local/share/ca-certificates");
        Path fifo = h.path("/usr/local/share/ca-certificates/pipe.crt");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertThat(read(h).rejected())
                .containsExactly(new Rejection(
                        "host:/usr/local/share/ca-certificates/pipe.crt", "not a regular file (a FIFO); skipped"));
    }

    @Test
    void autoIsOnForALinuxHostOnly() {
        assertThat(HostSource.enabled(Config.Toggle.AUTO, Os.LINUX)).isTrue();
        assertThat(HostSource.enabled(Config.Toggle.AUTO, Os.MACOS)).isFalse();
        assertThat(HostSource.enabled(Config.Toggle.ON, Os.MACOS)).isTrue();
        assertThat(HostSource.enabled(Config.Toggle.OFF, Os.LINUX)).isFalse();
    }
}
