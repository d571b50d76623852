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
    @TempDir Path tmp;

    @Test
    void lists_cas_from_a_file_and_a_stand_in_keychain_with_merged_sources() throws Exception {
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
                  publicRoots: none
                """.formatted(security, keychain, file));

        CliRun.Result r = cli.run("list", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> json = r.json();
        List<Object> cas = Json.asList(json.get("cas"));
        assertThat(cas).hasSize(2);
        Map<String, Object> corpJson = cas.stream().map(Json::asObject)
                .filter(c -> c.get("sha256").equals(corp.cert().sha256())).findFirst().orElseThrow();
        assertThat(corpJson).containsEntry("subject", "CN=Corp Root,O=Corp")
                .containsEntry("notAfter", corp.cert().notAfter().toString())
                .containsEntry("sources", List.of("keychain:" + keychain, "file:" + file));
        assertThat(Json.asList(json.get("rejected"))).containsExactly(Json.obj("source", "file:" + file,
                "reason", "block 3 is a private key (PRIVATE KEY); it was skipped and not read further. "
                        + "Keep private keys out of CA files."));
        String keyBody = TestCerts.pkcs8Pem(corp.keys()).lines().skip(1).findFirst().orElseThrow();
        assertThat(r.out() + r.err()).doesNotContain(keyBody);
    }

    @Test
    void human_output_names_each_ca_and_each_rejection() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path file = tmp.resolve("corp.pem");
        Files.writeString(file, corp.pem());
        Path missing = tmp.resolve("gone.pem");
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, files: [%s, %s], vendorFiles: false, publicRoots: none}
                """.formatted(file, missing));

        CliRun.Result r = cli.run("list");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("1 CA (CA set " + dev.vmtrust.trust.CaBundle.of(List.of(corp.cert())).label() + "):\n"
                + "  " + corp.cert().fp16() + "  CN=Corp Root,O=Corp  expires " + corp.cert().notAfter()
                + "  from file:" + file + "\n"
                + "rejected:\n"
                + "  file:" + missing + ": cannot read: No such file or directory\n");
    }

    @Test
    void no_ca_found_exits_4() throws Exception {
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, publicRoots: none}
                """);
        CliRun.Result r = cli.run("list", "--json");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.out()).isEqualTo("{\"cas\":[],\"rejected\":[]}\n");
    }

    @Test
    void an_invalid_config_lists_every_problem_and_exits_2_also_as_json() {
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                resync: 10 minutes
                sources: {keychain: {trustedOnly: maybe}}
                colour: blue
                """);
        Path file = tmp.resolve("run/config/vmtrust/config.yaml");

        CliRun.Result text = cli.run("list");
        CliRun.Result json = cli.run("list", "--json");

        assertThat(text.exit()).isEqualTo(2);
        assertThat(text.err()).contains(file + ": resync: \"10 minutes\" is not a duration")
                .contains(file + ": sources.keychain.trustedOnly: expected true or false, got \"maybe\"")
                .contains(file + ": colour: unknown key");
        assertThat(json.exit()).isEqualTo(2);
        Map<String, Object> error = Json.asObject(json.json().get("error"));
        assertThat(error.get("exit")).isEqualTo(2L);
        assertThat((String) error.get("message")).contains("colour: unknown key");
    }

    @Test
    void an_unknown_option_is_a_usage_error() {
        CliRun.Result r = new CliRun(tmp.resolve("run")).run("list", "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vmtrust: Unknown option: '--bogus'");
    }
}
