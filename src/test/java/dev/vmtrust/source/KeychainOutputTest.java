package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keychain edge cases driven by a hand-written CommandRunner. */
class KeychainOutputTest {
    @TempDir
    Path tmp;

    private final TestCerts.Issued a = TestCerts.rootCa("CN=A Root");
    private final TestCerts.Issued b = TestCerts.rootCa("CN=B Root");
    private final Path kc = Path.of("/Library/Keychains/System.keychain");
    private final List<List<String>> calls = new ArrayList<>();

    private KeychainSource source(boolean trustedOnly, CommandRunner runner) {
        var cfg = new Config.Keychain(Config.Toggle.ON, Path.of("/usr/bin/security"), List.of(kc), trustedOnly);
        return new KeychainSource(
                cfg,
                (argv, stdin, timeout) -> {
                    calls.add(argv);
                    return runner.run(argv, stdin, timeout);
                },
                Clock.systemUTC(),
                Duration.ofSeconds(30),
                tmp);
    }

    private static String listing(String sha256, TestCerts.Issued c) {
        return "SHA-256 hash: " + sha256.toUpperCase() + "\nSHA-1 hash: 00\n" + c.pem();
    }

    @Test
    void aCertificateWhoseHashLineDoesNotMatchIsRefused() {
        String out = listing(a.cert().sha256(), a) + listing("ff".repeat(32), b);
        Screened<SourcedCa> r = source(false, (argv, in, t) -> new CommandResult(argv, 0, out, ""))
                .read();
        assertThat(r.accepted()).extracting(SourcedCa::cert).containsExactly(a.cert());
        assertThat(r.rejected())
                .containsExactly(new Rejection(
                        "keychain:" + kc, "\"CN=B Root\" does not match any SHA-256 hash security printed; skipped"));
    }

    @Test
    void onceVerifyCertHangsTheRemainingCertificatesAreNotSentToIt() {
        String out = listing(a.cert().sha256(), a) + listing(b.cert().sha256(), b);
        Screened<SourcedCa> r = source(true, (argv, in, t) -> {
                    if (argv.get(1).equals("verify-cert"))
                        throw new dev.vmtrust.platform.CommandTimeoutException(
                                "`security verify-cert` timed out after 30s and was stopped");
                    return new CommandResult(argv, 0, out, "");
                })
                .read();
        assertThat(r.accepted()).isEmpty();
        assertThat(r.rejected())
                .extracting(Rejection::reason)
                .containsExactly(
                        "\"CN=A Root\" could not be checked: security did not answer within 30s; skipped",
                        "\"CN=B Root\" could not be checked: security did not answer within 30s; skipped");
        assertThat(calls).filteredOn(c -> c.get(1).equals("verify-cert")).hasSize(1);
    }
}
