package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain Lima instance ({@code LIMA_HOME/<name>/lima.yaml}, ssh.config, ha.pid) next to a Colima-owned one in
 * the same home, which must be left to Colima: `--dry-run` shows the lima.yaml change as a unified diff and
 * changes nothing; `sync` writes only vmtrust's provision entry and makes the VM trust the CA.
 */
class LimaIT {
    @TempDir
    Path tmp;

    @Test
    void aLimaInstanceGetsTheEntryAndTheCaAndADryRunOnlyShowsTheDiff() throws Exception {
        SandboxSupport.assumeSandbox();
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        Path caFile = Files.copy(ca.caPem(), tmp.resolve("corp.pem"));
        Path lima = tmp.resolve("lima");
        Path key = Files.createDirectories(lima.resolve("_config")).resolve("user");
        Files.copy(keys.privateKey(), key);
        String original;
        try (var in = LimaIT.class.getResourceAsStream("/provision/lima-template.yaml")) {
            original = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        try (SandboxVm vm = TlsRegistry.configure(
                                SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey()))
                        .start();
                TlsServer server = TlsServer.start(vm, ca, 8443, tmp.resolve("s.log"))) {
            Path dev = Files.createDirectories(lima.resolve("dev"));
            Files.writeString(dev.resolve("lima.yaml"), original);
            Files.writeString(dev.resolve("ha.pid"), vm.initPid() + "\n");
            Files.writeString(
                    dev.resolve("ssh.config"),
                    "Host lima-dev\n  IdentityFile \"" + key + "\"\n  User limauser\n" + "  Hostname 127.0.0.1\n  Port "
                            + vm.port() + "\n");
            Path colimaOwned = Files.createDirectories(lima.resolve("colima"));
            Files.writeString(colimaOwned.resolve("lima.yaml"), "provision: []\n");
            CliRun cli = new CliRun(tmp.resolve("run"))
                    .env("LIMA_HOME", lima.toString())
                    .config("""
                    sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s]}
                    targets: {colima: {enabled: false}}
                    """.formatted(caFile));

            CliRun.Result dry = cli.run("sync", "--dry-run");
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.out())
                    .contains("lima/dev  would change: +1 -0; provision entry would be updated")
                    .contains("--- " + dev.resolve("lima.yaml"))
                    .contains("+++ " + dev.resolve("lima.yaml"))
                    .contains("+- mode: system")
                    .contains("+  script: |")
                    .doesNotContain("lima/colima");
            assertThat(Files.readString(dev.resolve("lima.yaml"))).isEqualTo(original);
            assertThat(server.curlExit(vm)).isEqualTo(60);

            CliRun.Result r = cli.run("sync", "--json");
            assertThat(r.exit()).as(r.err()).isZero();
            Map<String, Object> t =
                    Json.asObject(Json.asList(r.json().get("targets")).get(0));
            assertThat(t)
                    .containsEntry("name", "lima/dev")
                    .containsEntry("kind", "lima")
                    .containsEntry("result", "updated")
                    .containsEntry("persisted", "updated");
            assertThat(Json.asList(r.json().get("targets"))).hasSize(1);
            assertThat(server.curlExit(vm)).isZero();
            String yaml = Files.readString(dev.resolve("lima.yaml"));
            assertThat(yaml)
                    .startsWith(original.substring(0, original.indexOf("provision:")))
                    .contains("# vmtrust: managed entry, do not edit (bundle sha256:");
            assertThat(Files.readString(colimaOwned.resolve("lima.yaml"))).isEqualTo("provision: []\n");
            assertThat(Files.readString(dev.resolve("lima.yaml.vmtrust.bak"))).isEqualTo(original);
        }
    }
}
