package dev.vmtrust.source;

import dev.vmtrust.testing.FakeSecurity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.Rejection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Public roots from temporary files and the stand-in security only; never the host's own bundle. */
class PublicRootsTest {
    @TempDir Path dir;
    private final TestCerts.Issued root = TestCerts.rootCa("CN=Public Root,O=Public Trust");
    private final TestCerts.Issued expired = TestCerts.rootCa("CN=Old Public Root",
            Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2010-01-01T00:00:00Z"));
    private final TestCerts.Issued leaf = TestCerts.leaf("CN=noise.test", root, "noise.test");

    private PublicRoots roots(Os os, Path security, Path macKeychain, List<Path> bundles) {
        return new PublicRoots(os, security, new ProcessRunner(), new CertFiles(), Clock.systemUTC(), macKeychain, bundles);
    }

    @Test
    void a_file_yields_its_valid_cas_and_its_noise_is_dropped_silently() throws IOException {
        Path f = Files.writeString(dir.resolve("roots.pem"), root.pem() + expired.pem() + leaf.pem());
        PublicRoots.Loaded l = roots(Os.LINUX, null, null, List.of()).load(new Config.PublicRoots(Config.PublicRoots.Kind.FILE, f));
        assertThat(l.roots()).containsExactly(root.cert());
        assertThat(l.problems()).isEmpty();
    }

    @Test
    void none_is_empty() {
        assertThat(roots(Os.LINUX, null, null, List.of()).load(new Config.PublicRoots(Config.PublicRoots.Kind.NONE, null)))
                .isEqualTo(PublicRoots.Loaded.none());
    }

    @Test
    void auto_on_linux_reads_the_first_bundle_that_exists_and_leaves_it_as_it_was() throws IOException {
        Path second = Files.writeString(dir.resolve("ca-bundle.crt"), root.pem());
        byte[] before = Files.readAllBytes(second);
        PublicRoots.Loaded l = roots(Os.LINUX, null, null, List.of(dir.resolve("ca-certificates.crt"), second))
                .load(new Config.PublicRoots(Config.PublicRoots.Kind.AUTO, null));
        assertThat(l.roots()).containsExactly(root.cert());
        assertThat(Files.readAllBytes(second)).isEqualTo(before);
    }

    @Test
    void auto_on_linux_without_a_bundle_says_public_cas_are_not_filtered() {
        Path missing = dir.resolve("ca-certificates.crt");
        PublicRoots.Loaded l = roots(Os.LINUX, null, null, List.of(missing)).load(new Config.PublicRoots(Config.PublicRoots.Kind.AUTO, null));
        assertThat(l.problems()).containsExactly(new Rejection("publicRoots:" + missing,
                "no system CA bundle found; public CAs are not filtered out"));
    }

    @Test
    void auto_on_macos_reads_the_system_roots_keychain_through_security() throws IOException {
        Path security = FakeSecurity.install(dir);
        Path kc = FakeSecurity.keychain(dir.resolve("SystemRootCertificates.keychain"), root, expired);
        PublicRoots.Loaded l = roots(Os.MACOS, security, kc, List.of()).load(new Config.PublicRoots(Config.PublicRoots.Kind.AUTO, null));
        assertThat(l.roots()).containsExactly(root.cert());
        assertThat(l.problems()).isEmpty();
    }

    @Test
    void an_unreadable_public_set_is_reported() throws IOException {
        Path security = FakeSecurity.install(dir);
        Path kc = dir.resolve("gone.keychain");
        PublicRoots.Loaded l = roots(Os.MACOS, security, kc, List.of()).load(new Config.PublicRoots(Config.PublicRoots.Kind.AUTO, null));
        assertThat(l.roots()).isEmpty();
        assertThat(l.problems()).containsExactly(new Rejection("publicRoots:" + kc, "`" + security + " find-certificate -a -p " + kc
                + "` exited 50: security: SecKeychainSearchCopyNext: The specified keychain could not be found."));
    }
}
