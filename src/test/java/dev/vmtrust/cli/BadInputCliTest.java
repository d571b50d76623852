package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.FakeSecurity;
import dev.vmtrust.testing.StderrCapture;
import dev.vmtrust.testing.TestCerts;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad CA inputs end to end through the command line (issue items 2 and 3): each is refused with a reason
 * naming its source, quickly, and the good input next to it still makes the set. Parser-level cases are in
 * trust/CertParserTest and source/CertFilesTest; unreadable files as an unprivileged user are in BadInputIT.
 */
class BadInputCliTest {
    @TempDir
    Path tmp;

    private CliRun cli(String files, String keychain) {
        return new CliRun(tmp.resolve("run"))
                .config("""
                sources:
                  keychain: %s
                  files: [%s]
                  vendorFiles: false
                  host: false
                  publicRoots: none
                targets:
                  colima: {home: %s}
                  lima: {home: %s}
                """.formatted(keychain, files, tmp.resolve("colima"), tmp.resolve("lima")));
    }

    @Test
    void garbageTruncatedEmptyHugeFifoDeviceAndFolderInputsAreRefusedAtOnceAndTheGoodFileIsSynced() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path good = Files.writeString(tmp.resolve("good.pem"), corp.pem());
        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), "this is not a certificate\n\u0001\u0002");
        Path truncated =
                Files.writeString(tmp.resolve("truncated.pem"), corp.pem().substring(0, 120));
        Path empty = Files.createFile(tmp.resolve("empty.pem"));
        Path huge = tmp.resolve("huge.pem");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024); // sparse: 50 MB without writing them
        }
        Path fifo = tmp.resolve("fifo.pem");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        Path zero = Files.createSymbolicLink(tmp.resolve("zero.pem"), Path.of("/dev/zero"));
        Path folder = Files.createDirectory(tmp.resolve("folder.pem"));
        CliRun cli = cli(
                String.join(
                        ", ",
                        List.of(good, garbage, truncated, empty, huge, fifo, zero, folder).stream()
                                .map(Path::toString)
                                .toList()),
                "{enabled: false}");

        CliRun.Result list = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.run("list", "--json"));

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(Json.asList(list.json().get("cas")))
                .extracting(c -> Json.asObject(c).get("sha256"))
                .containsExactly(corp.cert().sha256());
        assertThat(Json.asList(list.json().get("rejected")))
                .containsExactly(
                        rejected(garbage, "no certificate found"),
                        rejected(truncated, "block 1 is not a valid certificate: no END line"),
                        rejected(empty, "no certificate found"),
                        rejected(huge, "is 52428800 bytes, over the 1 MiB limit; skipped"),
                        rejected(fifo, "not a regular file (a FIFO); skipped"),
                        rejected(zero, "not a regular file (a character device); skipped"),
                        rejected(folder, "not a regular file (a directory); skipped"));

        try (StderrCapture log = new StderrCapture()) {
            CliRun.Result sync = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.run("sync"));
            assertThat(sync.exit()).as(sync.err()).isZero();
            assertThat(log.text())
                    .as("sync names every refused input in its log")
                    .contains("skipped file:" + fifo + ": not a regular file (a FIFO); skipped")
                    .contains("skipped file:" + huge + ": is 52428800 bytes, over the 1 MiB limit; skipped");
        }
        assertThat(Files.readString(cli.stateDir().resolve("ca-set.pem"))).isEqualTo(corp.pem());
    }

    @Test
    void leafExpiredAndFutureCasAreDroppedAndOneCaFromKeychainCrlfPemAndDerIsOneEntry() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        TestCerts.Issued leaf = TestCerts.leaf("CN=proxy.corp.test", corp, "proxy.corp.test");
        Instant now = Instant.now();
        TestCerts.Issued old =
                TestCerts.rootCa("CN=Old Root,O=Corp", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        TestCerts.Issued future =
                TestCerts.rootCa("CN=Future Root,O=Corp", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(400)));
        Path security = FakeSecurity.install(tmp);
        Path keychain = FakeSecurity.keychain(tmp.resolve("System.keychain"), corp);
        Path crlf = Files.writeString(tmp.resolve("corp-crlf.pem"), corp.pem().replace("\n", "\r\n"));
        Path der = Files.write(tmp.resolve("corp.der"), corp.der());
        Path others = Files.writeString(tmp.resolve("others.pem"), leaf.pem() + old.pem() + future.pem());
        CliRun cli = cli(
                crlf + ", " + der + ", " + others,
                "{command: " + security + ", keychains: [" + keychain + "], trustedOnly: false}");

        CliRun.Result r = cli.run("list", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Json.asList(r.json().get("cas")))
                .containsExactly(Json.obj(
                        "sha256",
                        corp.cert().sha256(),
                        "subject",
                        "CN=Corp Root,O=Corp",
                        "notAfter",
                        corp.cert().notAfter().toString(),
                        "sources",
                        List.of("keychain:" + keychain, "file:" + crlf, "file:" + der)));
        assertThat(Json.asList(r.json().get("rejected")))
                .containsExactly(
                        rejected(
                                others,
                                "\"CN=proxy.corp.test\" is not a CA certificate (no basicConstraints CA); skipped"),
                        rejected(
                                others,
                                "\"CN=Old Root,O=Corp\" expired on "
                                        + old.cert().notAfter() + "; skipped"),
                        rejected(
                                others,
                                "\"CN=Future Root,O=Corp\" is not valid before "
                                        + future.cert().notBefore() + "; skipped"));

        CliRun.Result sync = cli.run("sync", "--json");
        assertThat(sync.exit()).as(sync.err()).isZero();
        assertThat(sync.json()).containsEntry("cas", 1L);
        assertThat(Files.readString(cli.stateDir().resolve("ca-set.pem"))).isEqualTo(corp.pem());
    }

    @Test
    void aBadConfigStopsSyncWithExit2ListingEveryProblemAndWritingNothing() {
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources:
                  files: [certs/corp.pem]
                  keychain: {trustedOnly: 3}
                targets:
                  colima: {home: %s}
                ssh: {connectTimeout: soon}
                resync: 10 minutes
                colour: blue
                """.formatted(tmp.resolve("colima")));
        Path file = tmp.resolve("run/config/vmtrust/config.yaml");

        CliRun.Result r = cli.run("sync");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .isEqualTo(
                        "vmtrust: "
                                + file
                                + ": colour: unknown key; expected one of: sources, include, exclude, targets, ssh, restart,"
                                + " notify, resync, doctor, containers\n"
                                + file + ": sources.keychain.trustedOnly: expected true or false, got 3\n"
                                + file
                                + ": sources.files[0]: \"certs/corp.pem\" is a relative path; write it absolute or starting with ~/\n"
                                + file
                                + ": ssh.connectTimeout: \"soon\" is not a duration; use a number and a unit: 500ms, 30s, 10m, 2h, 1d\n"
                                + file
                                + ": resync: \"10 minutes\" is not a duration; use a number and a unit: 500ms, 30s, 10m, 2h, 1d\n");
        assertThat(cli.stateDir()).doesNotExist();
    }

    @Test
    void pkcs7BundlesInPemAndDerYieldTheirCasAndAnEmptyOneIsRefusedByName() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        TestCerts.Issued issuing = TestCerts.intermediate("CN=Corp Issuing,O=Corp", corp);
        Path a = Files.writeString(tmp.resolve("a.pem"), corp.pem());
        Path b = Files.writeString(tmp.resolve("b.pem"), issuing.pem());
        Path p7b = tmp.resolve("corp.p7b");
        Path p7c = tmp.resolve("corp.p7c");
        Path empty = tmp.resolve("empty.p7b");
        openssl("crl2pkcs7", "-nocrl", "-certfile", a.toString(), "-certfile", b.toString(), "-out", p7b.toString());
        openssl("crl2pkcs7", "-nocrl", "-certfile", b.toString(), "-outform", "DER", "-out", p7c.toString());
        openssl("crl2pkcs7", "-nocrl", "-outform", "DER", "-out", empty.toString());

        CliRun.Result r =
                cli(p7b + ", " + p7c + ", " + empty, "{enabled: false}").run("list", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Json.asList(r.json().get("cas")))
                .extracting(c -> Json.asObject(c).get("sha256"))
                .containsExactlyInAnyOrder(corp.cert().sha256(), issuing.cert().sha256());
        assertThat(Json.asList(r.json().get("rejected")))
                .containsExactly(rejected(empty, "DER data is a PKCS #7 bundle with no certificates; skipped"));
    }

    private static void openssl(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        assertThat(new ProcessBuilder(argv).redirectErrorStream(true).start().waitFor())
                .as(argv.toString())
                .isZero();
    }

    private static Map<String, Object> rejected(Path file, String reason) {
        return Json.obj("source", "file:" + file, "reason", reason);
    }
}
