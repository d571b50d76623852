package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.testing.FakeSecurity;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The keychain source against the stand-in security script: no real keychain is ever read. */
class KeychainSourceTest {
    @TempDir
    Path dir;

    private Path security;
    private Path tmp;
    private final TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private final TestCerts.Issued other = TestCerts.rootCa("CN=Other Root,O=Other");
    private final TestCerts.Issued leaf = TestCerts.leaf("CN=host.test", corp, "host.test");

    @BeforeEach
    void setUp() throws IOException {
        security = FakeSecurity.install(dir);
        tmp = Files.createDirectories(dir.resolve("tmp"));
    }

    private KeychainSource source(boolean trustedOnly, Map<String, String> env, Duration timeout, Path... keychains) {
        var cfg = new Config.Keychain(Config.Toggle.ON, security, List.of(keychains), trustedOnly);
        return new KeychainSource(cfg, new ProcessRunner(env), Clock.systemUTC(), timeout, tmp);
    }

    private Path trustedList(TestCerts.Issued... certs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (TestCerts.Issued c : certs) sb.append(c.cert().sha256()).append('\n');
        return Files.writeString(dir.resolve("trusted"), sb);
    }

    @Test
    void keepsTheCaCertificatesOfAKeychainWithItsLabel() throws IOException {
        Path kc = FakeSecurity.keychain(dir.resolve("System.keychain"), corp, leaf, other);
        Screened<SourcedCa> r =
                source(false, Map.of(), Duration.ofSeconds(30), kc).read();
        assertThat(r.accepted())
                .containsExactly(
                        new SourcedCa(corp.cert(), "keychain:" + kc), new SourcedCa(other.cert(), "keychain:" + kc));
        assertThat(r.rejected()).isEmpty();
        assertThat(r.skipped())
                .containsExactly(new Rejection(
                        "keychain:" + kc,
                        "\"CN=host.test\" is not a CA certificate (no basicConstraints CA); skipped"));
    }

    @Test
    void expiredAndNonCaCertificatesOfAKeychainAreRoutineSkipsNotRejections() throws IOException {
        TestCerts.Issued old = TestCerts.rootCa(
                "CN=Old Root",
                java.time.Instant.parse("2000-01-01T00:00:00Z"),
                java.time.Instant.parse("2010-01-01T00:00:00Z"));
        Path kc = FakeSecurity.keychain(dir.resolve("login.keychain-db"), leaf, old, corp);
        Screened<SourcedCa> r =
                source(false, Map.of(), Duration.ofSeconds(30), kc).read();
        assertThat(r.accepted()).extracting(SourcedCa::cert).containsExactly(corp.cert());
        assertThat(r.rejected()).isEmpty();
        assertThat(r.skipped())
                .containsExactly(
                        new Rejection(
                                "keychain:" + kc,
                                "\"CN=host.test\" is not a CA certificate (no basicConstraints CA); skipped"),
                        new Rejection("keychain:" + kc, "\"CN=Old Root\" expired on 2010-01-01T00:00:00Z; skipped"));
    }

    @Test
    void aCaTrustedForSslOnlyPassesWithTheSslPolicyAfterTheDefaultOneRefusedIt() throws IOException {
        Path kc = FakeSecurity.keychain(dir.resolve("System.keychain"), corp, other);
        Path trusted = Files.writeString(dir.resolve("trusted"), corp.cert().sha256() + " ssl\n");
        Path log = dir.resolve("argv.log");
        var env = Map.of("FAKE_SECURITY_TRUSTED", trusted.toString(), "FAKE_SECURITY_LOG", log.toString());
        Screened<SourcedCa> r = source(true, env, Duration.ofSeconds(30), kc).read();
        assertThat(r.accepted()).extracting(SourcedCa::cert).containsExactly(corp.cert());
        assertThat(Files.readAllLines(log))
                .filteredOn(l -> l.startsWith("verify-cert"))
                .hasSize(4)
                .anyMatch(l -> l.endsWith(".pem -L -l -R offline -p ssl"));
        assertThat(r.rejected())
                .containsExactly(
                        new Rejection(
                                "keychain:" + kc,
                                "\"CN=Other Root,O=Other\" is not trusted"
                                        + " by this Mac (security verify-cert exited 1, with -p ssl 1: Cert Verify Result: CSSMERR_TP_NOT_TRUSTED); skipped"));
    }

    @Test
    void trustedOnlyKeepsWhatVerifyCertAcceptsAndSaysWhyTheRestWent() throws IOException {
        Path kc = FakeSecurity.keychain(dir.resolve("System.keychain"), corp, other);
        var env = Map.of("FAKE_SECURITY_TRUSTED", trustedList(corp).toString());
        Screened<SourcedCa> r = source(true, env, Duration.ofSeconds(30), kc).read();
        assertThat(r.accepted()).extracting(SourcedCa::cert).containsExactly(corp.cert());
        assertThat(r.rejected())
                .containsExactly(
                        new Rejection(
                                "keychain:" + kc,
                                "\"CN=Other Root,O=Other\" is not trusted"
                                        + " by this Mac (security verify-cert exited 1, with -p ssl 1: Cert Verify Result: CSSMERR_TP_NOT_TRUSTED); skipped"));
    }

    @Test
    void verifyAnswersAreCachedByFingerprintAndTempFilesAreDeleted() throws IOException {
        Path a = FakeSecurity.keychain(dir.resolve("a.keychain"), corp);
        Path b = FakeSecurity.keychain(dir.resolve("b.keychain"), corp);
        Path log = dir.resolve("argv.log");
        var env = Map.of("FAKE_SECURITY_TRUSTED", trustedList(corp).toString(), "FAKE_SECURITY_LOG", log.toString());
        Screened<SourcedCa> r = source(true, env, Duration.ofSeconds(30), a, b).read();
        assertThat(r.accepted())
                .containsExactly(
                        new SourcedCa(corp.cert(), "keychain:" + a), new SourcedCa(corp.cert(), "keychain:" + b));
        List<String> calls = Files.readAllLines(log);
        assertThat(calls)
                .filteredOn(l -> l.startsWith("verify-cert -c " + tmp + "/vmtrust-verify-"))
                .hasSize(1)
                .allMatch(l -> l.endsWith(".pem -L -l -R offline"));
        assertThat(calls).contains("find-certificate -a -Z -p " + a, "find-certificate -a -Z -p " + b);
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aMissingKeychainIsARejectionOfThatKeychainOnly() throws IOException {
        Path missing = dir.resolve("gone.keychain");
        Path kc = FakeSecurity.keychain(dir.resolve("System.keychain"), corp);
        Screened<SourcedCa> r =
                source(false, Map.of(), Duration.ofSeconds(30), missing, kc).read();
        assertThat(r.accepted()).extracting(SourcedCa::cert).containsExactly(corp.cert());
        assertThat(r.rejected())
                .containsExactly(
                        new Rejection(
                                "keychain:" + missing,
                                "security find-certificate failed"
                                        + " (exit 50): security: SecKeychainSearchCopyNext: The specified keychain could not be found."));
    }

    @Test
    void anEmptyKeychainYieldsNothingAndNoComplaint() throws IOException {
        Path kc = FakeSecurity.keychain(dir.resolve("login.keychain-db"));
        Screened<SourcedCa> r =
                source(false, Map.of(), Duration.ofSeconds(30), kc).read();
        assertThat(r.accepted()).isEmpty();
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aHangingSecurityIsARejectionAfterTheTimeout() throws IOException {
        Path kc = FakeSecurity.keychain(dir.resolve("System.keychain"), corp);
        Screened<SourcedCa> r = source(false, Map.of("FAKE_SECURITY_SLEEP", "30"), Duration.ofSeconds(1), kc)
                .read();
        assertThat(r.accepted()).isEmpty();
        assertThat(r.rejected())
                .containsExactly(new Rejection("keychain:" + kc, "security did not answer within 1s; skipped"));
    }

    @Test
    void aCommandThatCannotStartIsARejection() {
        var cfg = new Config.Keychain(
                Config.Toggle.ON, dir.resolve("no-such-security"), List.of(dir.resolve("k")), false);
        Screened<SourcedCa> r = new KeychainSource(cfg, new ProcessRunner(), Clock.systemUTC()).read();
        assertThat(r.rejected()).singleElement().satisfies(x -> {
            assertThat(x.source()).isEqualTo("keychain:" + dir.resolve("k"));
            assertThat(x.reason())
                    .startsWith("cannot run `" + dir.resolve("no-such-security"))
                    .endsWith("; skipped");
        });
    }

    @Test
    void autoMeansOnWhenTheCommandIsExecutable() throws IOException {
        Path plain = Files.writeString(dir.resolve("not-executable"), "");
        assertThat(KeychainSource.enabled(new Config.Keychain(Config.Toggle.AUTO, security, List.of(), true)))
                .isTrue();
        assertThat(KeychainSource.enabled(new Config.Keychain(Config.Toggle.AUTO, plain, List.of(), true)))
                .isFalse();
        assertThat(KeychainSource.enabled(
                        new Config.Keychain(Config.Toggle.AUTO, dir.resolve("none"), List.of(), true)))
                .isFalse();
        assertThat(KeychainSource.enabled(new Config.Keychain(Config.Toggle.OFF, security, List.of(), true)))
                .isFalse();
    }

    @Test
    void reportedHashesAreReadFromTheListing() {
        assertThat(KeychainSource.reportedSha256(
                        "SHA-256 hash: ABCDEF\nSHA-1 hash: 0102\n-----BEGIN CERTIFICATE-----\n"))
                .containsExactly("abcdef");
    }
}
