package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.FakeSecurity;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListCommandTest {
    @TempDir
    Path tmp;

    @Test
    void listsCasFromAFileAndAStandInKeychainWithMergedSources() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        TestCerts.Issued other = TestCerts.rootCa("CN=Team Root,O=Corp");
        Path security = FakeSecurity.install(tmp);
        Path keychain = FakeSecurity.keychain(tmp.resolve("System.keychain"), corp);
        Path file = tmp.resolve("corp.pem");
        Files.writeString(file, corp.pem() + other.pem() + TestCerts.pkcs8Pem(corp.keys()));
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources:
                  keychain: {command: %s, keychains: [%s], trustedOnly: false}
                  files: [%s]
                  vendorFiles: false
                  host: false
                  publicRoots: none
                """.formatted(security, keychain, file));

        CliRun.Result r = cli.run("list", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> json = r.json();
        List<Object> cas = Json.asList(json.get("cas"));
        assertThat(cas).hasSize(2);
        Map<String, Object> corpJson = cas.stream()
                .map(Json::asObject)
                .filter(c -> c.get("sha256").equals(corp.cert().sha256()))
                .findFirst()
                .orElseThrow();
        assertThat(corpJson)
                .containsEntry("subject", "CN=Corp Root,O=Corp")
                .containsEntry("notAfter", corp.cert().notAfter().toString())
                .containsEntry("sources", List.of("keychain:" + keychain, "file:" + file));
        assertThat(Json.asList(json.get("rejected")))
                .containsExactly(Json.obj(
                        "source",
                        "file:" + file,
                        "reason",
                        "block 3 is a private key (PRIVATE KEY); it was skipped and not read further. "
                                + "Keep private keys out of CA files."));
        String keyBody =
                TestCerts.pkcs8Pem(corp.keys()).lines().skip(1).findFirst().orElseThrow();
        assertThat(r.out() + r.err()).doesNotContain(keyBody);
    }

    @Test
    void humanOutputNamesEachCaAndEachRejection() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path file = tmp.resolve("corp.pem");
        Files.writeString(file, corp.pem());
        Path missing = tmp.resolve("gone.pem");
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, files: [%s, %s], vendorFiles: false, host: false, publicRoots: none}
                """.formatted(file, missing));

        CliRun.Result r = cli.run("list");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .isEqualTo("1 CA (CA set "
                        + dev.vmtrust.trust.CaBundle.of(List.of(corp.cert())).label() + "):\n"
                        + "  " + corp.cert().fp16() + "  CN=Corp Root,O=Corp  expires "
                        + corp.cert().notAfter()
                        + "  from file:" + file + "\n"
                        + "public roots: none (sources.publicRoots: none); public CAs are kept\n"
                        + "rejected:\n"
                        + "  file:" + missing + ": cannot read: No such file or directory\n");
    }

    @Test
    void noCaFoundExits4() throws Exception {
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, publicRoots: none}
                """);
        CliRun.Result r = cli.run("list", "--json");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.out())
                .isEqualTo("{\"cas\":[],\"rejected\":[],\"skipped\":[],\"publicRoots\":{\"reference\":\"none\","
                        + "\"description\":\"none (sources.publicRoots: none); public CAs are kept\",\"path\":null,\"count\":0,\"byChain\":true},"
                        + "\"lookedIn\":[],\"next\":\"turn the host store on (sources.host: auto), or list its file under sources.files in "
                        + tmp.resolve("run/config/vmtrust/config.yaml") + "\"}\n");
    }

    @Test
    void noCaFoundSaysWhereItLookedAndWhatToDoNext() throws Exception {
        Path file = tmp.resolve("empty.pem");
        Files.writeString(file, "");
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, publicRoots: none, files: [%s]}
                """.formatted(file));
        CliRun.Result r = cli.run("list");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.out())
                .isEqualTo("no CA found\n"
                        + "looked in: sources.files " + file + "\n"
                        + "next: turn the host store on (sources.host: auto), or list its file under sources.files in "
                        + tmp.resolve("run/config/vmtrust/config.yaml") + "\n"
                        + "public roots: none (sources.publicRoots: none); public CAs are kept\n"
                        + "rejected:\n"
                        + "  file:" + file + ": no certificate found\n");
    }

    @Test
    void aKeychainsNonCaAndExpiredCertificatesAreOneCountLineAndListVerboseNamesThem() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        TestCerts.Issued leaf = TestCerts.leaf("CN=mail.corp.test", corp, "mail.corp.test");
        TestCerts.Issued old = TestCerts.rootCa(
                "CN=Old Root",
                java.time.Instant.parse("2000-01-01T00:00:00Z"),
                java.time.Instant.parse("2010-01-01T00:00:00Z"));
        Path security = FakeSecurity.install(tmp);
        Path keychain = FakeSecurity.keychain(tmp.resolve("login.keychain-db"), corp, leaf, old);
        Path file = tmp.resolve("leaf.pem");
        Files.writeString(file, leaf.pem());
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {command: %s, keychains: [%s], trustedOnly: false}, files: [%s],
                          vendorFiles: false, host: false, publicRoots: none}
                """.formatted(security, keychain, file));
        String head = "1 CA (CA set "
                + dev.vmtrust.trust.CaBundle.of(List.of(corp.cert())).label() + "):\n"
                + "  " + corp.cert().fp16() + "  CN=Corp Root,O=Corp  expires "
                + corp.cert().notAfter()
                + "  from keychain:" + keychain + "\n"
                + "public roots: none (sources.publicRoots: none); public CAs are kept\n";
        String fileRejection = "rejected:\n" + "  file:" + file
                + ": \"CN=mail.corp.test\" is not a CA certificate (no basicConstraints CA); skipped\n";

        CliRun.Result quiet = cli.run("list");
        CliRun.Result verbose = cli.run("list", "-v");
        String log;
        try (dev.vmtrust.testing.StderrCapture err = new dev.vmtrust.testing.StderrCapture()) {
            cli.run("sync", "--dry-run");
            log = err.text();
        }

        assertThat(quiet.out())
                .isEqualTo(head
                        + "keychain: 2 certificates that are not CAs or have expired were skipped (vmtrust list -v names them)\n"
                        + fileRejection);
        assertThat(verbose.out())
                .isEqualTo(head
                        + "keychain: 2 certificates that are not CAs or have expired were skipped:\n"
                        + "  keychain:" + keychain
                        + ": \"CN=mail.corp.test\" is not a CA certificate (no basicConstraints CA); skipped\n"
                        + "  keychain:" + keychain + ": \"CN=Old Root\" expired on 2010-01-01T00:00:00Z; skipped\n"
                        + fileRejection);
        assertThat(log).doesNotContain("keychain:" + keychain).contains("skipped file:" + file);
    }

    @Test
    void anInvalidConfigListsEveryProblemAndExits2AlsoAsJson() {
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                resync: 10 minutes
                sources: {keychain: {trustedOnly: maybe}}
                colour: blue
                """);
        Path file = tmp.resolve("run/config/vmtrust/config.yaml");

        CliRun.Result text = cli.run("list");
        CliRun.Result json = cli.run("list", "--json");

        assertThat(text.exit()).isEqualTo(2);
        assertThat(text.err())
                .contains(file + ": resync: \"10 minutes\" is not a duration")
                .contains(file + ": sources.keychain.trustedOnly: expected true or false, got \"maybe\"")
                .contains(file + ": colour: unknown key");
        assertThat(json.exit()).isEqualTo(2);
        Map<String, Object> error = Json.asObject(json.json().get("error"));
        assertThat(error.get("exit")).isEqualTo(2L);
        assertThat((String) error.get("message")).contains("colour: unknown key");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun.Result r = new CliRun(tmp.resolve("run")).run("list", "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vmtrust: Unknown option: '--bogus'");
    }
}
