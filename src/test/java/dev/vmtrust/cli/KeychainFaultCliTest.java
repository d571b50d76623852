package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.FakeSecurity;
import dev.vmtrust.testing.ShortTimeouts;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue item 11 through the command line, with the stand-in {@code security}: a keychain whose command
 * fails or hangs is refused with the reason, and the other keychain and the files still make the set.
 */
class KeychainFaultCliTest {
    @TempDir
    Path tmp;

    private final TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private final TestCerts.Issued team = TestCerts.rootCa("CN=Team Root,O=Corp");

    private CliRun cli(Path security, List<Path> keychains, Path file) {
        return new CliRun(tmp.resolve("run")).config("""
                sources:
                  keychain: {command: %s, keychains: %s, trustedOnly: false}
                  files: [%s]
                  vendorFiles: false
                  host: false
                  publicRoots: none
                """.formatted(security, keychains, file));
    }

    @Test
    void aKeychainSecurityCannotReadIsRefusedAndTheOtherKeychainAndTheFileStillCount() throws Exception {
        Path security = FakeSecurity.install(tmp);
        Path missing = tmp.resolve("gone.keychain");
        Path good = FakeSecurity.keychain(tmp.resolve("System.keychain"), corp);
        Path file = Files.writeString(tmp.resolve("team.pem"), team.pem());

        CliRun.Result r = cli(security, List.of(missing, good), file).run("list", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Json.asList(r.json().get("cas")))
                .extracting(c -> Json.asObject(c).get("sources"))
                .containsExactlyInAnyOrder(List.of("keychain:" + good), List.of("file:" + file));
        assertThat(Json.asList(r.json().get("rejected")))
                .containsExactly(Json.obj(
                        "source",
                        "keychain:" + missing,
                        "reason",
                        "security find-certificate failed (exit 50): security: SecKeychainSearchCopyNext: "
                                + "The specified keychain could not be found."));
    }

    @Test
    void aHangingSecurityIsKilledAtItsTimeoutAndTheFileStillCounts() throws Exception {
        Path security = FakeSecurity.install(tmp);
        Path keychain = FakeSecurity.keychain(tmp.resolve("System.keychain"), corp);
        Path file = Files.writeString(tmp.resolve("team.pem"), team.pem());
        CliRun cli = cli(security, List.of(keychain), file)
                .runner(new ShortTimeouts(
                        new ProcessRunner(Map.of("FAKE_SECURITY_SLEEP", "120")), Duration.ofSeconds(2)));

        long t0 = System.nanoTime();
        CliRun.Result r = cli.run("list", "--json");
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).as("list time with a hung security").isBetween(2_000L, 10_000L);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Json.asList(r.json().get("cas")))
                .extracting(c -> Json.asObject(c).get("sha256"))
                .containsExactly(team.cert().sha256());
        assertThat(Json.asList(r.json().get("rejected")))
                .containsExactly(Json.obj(
                        "source", "keychain:" + keychain, "reason", "security did not answer within 30s; skipped"));
    }
}
