package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Persistence: the provision entry vmtrust writes into colima.yaml makes a VM trust the set at boot, even
 * with no agent running. "Boot" = run every {@code mode: system} script of the profile's colima.yaml inside
 * the VM as root, the way Lima's boot.sh does (the file executed directly; no shebang, so sh runs it).
 */
class ProvisionIT {
    @TempDir
    Path tmp;

    @Test
    void aFreshVmBootedWithTheEntryTrustsTheSetAndAfterRotationOnlyTheNewCa() throws Exception {
        SandboxSupport.assumeSandbox();
        HostTrustStore hostBefore = HostTrustStore.snapshot();
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa caA = TestCa.create(tmp.resolve("ca-a"));
        TestCa caB = TestCa.create(tmp.resolve("ca-b"));
        Path caFile = Files.copy(caA.caPem(), tmp.resolve("corp.pem"));
        ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).stopped("default");
        Files.createDirectories(colima.home().resolve("_templates"));
        Files.writeString(colima.home().resolve("_templates/default.yaml"), ColimaHome.COLIMA_YAML);
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s]}
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(caFile, colima.home(), tmp.resolve("lima")));

        CliRun.Result first = cli.run("sync", "--json");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(Json.asObject(Json.asList(first.json().get("targets")).get(0)))
                .containsEntry("state", "stopped")
                .containsEntry("result", "skipped")
                .containsEntry("persisted", "updated");
        assertThat(Json.asList(first.json().get("templates")))
                .containsExactly(Json.obj(
                        "file",
                        colima.home().resolve("_templates/default.yaml").toString(),
                        "persisted",
                        "updated",
                        "error",
                        null));
        String yaml = Files.readString(colima.profileYaml("default"));
        assertThat(yaml).startsWith(ColimaHome.COLIMA_YAML.substring(0, ColimaHome.COLIMA_YAML.indexOf("provision:")));

        Path vmDir = tmp.resolve("vm");
        try (SandboxVm vm = boot(vmDir, keys, colima);
                TlsServer onA = TlsServer.start(vm, caA, 8443, tmp.resolve("a.log"))) {
            assertThat(onA.curlExit(vm))
                    .as("fresh VM trusts the CA from its provision entry")
                    .isZero();
        }

        // rotation while the VM is stopped: only the persisted part can change
        Files.copy(caB.caPem(), caFile, StandardCopyOption.REPLACE_EXISTING);
        CliRun.Result rotated = cli.run("sync", "--json");
        assertThat(Json.asObject(Json.asList(rotated.json().get("targets")).get(0)))
                .containsEntry("persisted", "updated");
        CliRun.Result again = cli.run("sync", "--json");
        assertThat(Json.asObject(Json.asList(again.json().get("targets")).get(0)))
                .containsEntry("persisted", "unchanged");

        try (SandboxVm vm = boot(vmDir, keys, colima);
                TlsServer onA = TlsServer.start(vm, caA, 8443, tmp.resolve("a2.log"));
                TlsServer onB = TlsServer.start(vm, caB, 9443, tmp.resolve("b.log"))) {
            assertThat(onB.curlExit(vm)).as("new CA trusted after reboot").isZero();
            assertThat(onA.curlExit(vm)).as("rotated-out CA gone after reboot").isEqualTo(60);
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    /** Starts the VM and runs the profile's system provision scripts in it as root, as Lima does at boot. */
    private static SandboxVm boot(Path dir, TestKeys keys, ColimaHome colima) throws Exception {
        SandboxVm vm = TlsRegistry.configure(SandboxVm.options(dir, FreePort.pick(), keys.publicKey()))
                .start();
        List<String> scripts = systemScripts(colima.profileYaml("default"));
        assertThat(scripts).hasSize(1);
        for (int i = 0; i < scripts.size(); i++) {
            Path local = dir.resolve("provision-" + i);
            Files.writeString(local, scripts.get(i));
            String inVm = "/var/lib/provision-" + i;
            ExecResult copy = vm.execWithInput(local, "sh", "-c", "cat > " + inVm + " && chmod 755 " + inVm);
            assertThat(copy.exitCode()).as(copy.output()).isZero();
            ExecResult run = vm.exec("sh", "-c", "\"$0\"", inVm);
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
        return vm;
    }

    @SuppressWarnings("unchecked")
    private static List<String> systemScripts(Path colimaYaml) throws Exception {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(colimaYaml));
        return ((List<Map<String, Object>>) doc.get("provision"))
                .stream()
                        .filter(e -> "system".equals(e.get("mode")))
                        .map(e -> (String) e.get("script"))
                        .toList();
    }
}
