package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The containers part of the in-VM script (containers.inject) on a systemd Debian root under VMTRUST_ROOT, with
 * the host's python3 and a dockerd that is installed but does not run (its running paths: ContainersIT).
 */
class ContainersScriptTest {
    static final CaCert A = TestCerts.rootCa("CN=Corp Root A,O=Corp").cert();
    static final CaCert B = TestCerts.rootCa("CN=Corp Root B,O=Corp").cert();
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final String ORIGINAL_DAEMON_JSON = "{\n  \"features\": {\n    \"buildkit\": true\n  }\n}";

    @TempDir
    Path tmp;

    ScriptHarness h;

    @BeforeEach
    void setUp() throws Exception {
        dev.vmtrust.testing.Require.tool("the in-VM OCI helper runs on python3", PYTHON.toString());
        h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).systemd();
        tool("python3", PYTHON);
        for (String t : List.of("cmp", "tr")) tool(t, Path.of("/usr/bin", t));
        Files.writeString(h.bin.resolve("dockerd"), "#!/bin/sh\necho \"dockerd $*\" >>\"$STANDIN_LOG\"\nexit 1\n");
        Files.setPosixFilePermissions(h.bin.resolve("dockerd"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(h.root.resolve("etc/docker"));
        Files.writeString(
                daemonJson(), ORIGINAL_DAEMON_JSON); // as Colima writes it: Go's indent, no newline at the end
    }

    void tool(String name, Path real) throws Exception {
        Path f = h.tools.resolve(name);
        Files.writeString(f, "#!/bin/sh\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static String on(CaCert... certs) {
        return VmScript.render(CaBundle.of(List.of(certs)), true);
    }

    static String off(CaCert... certs) {
        return VmScript.render(CaBundle.of(List.of(certs)), false);
    }

    Path rt(String name) {
        return h.root.resolve("etc/vmtrust/runtime/" + name);
    }

    Path ct(String name) {
        return h.root.resolve("etc/vmtrust/containers/" + name);
    }

    Path dropIn() {
        return h.root.resolve("etc/systemd/system/docker.service.d/vmtrust.conf");
    }

    Path daemonJson() {
        return h.root.resolve("etc/docker/daemon.json");
    }

    Map<String, Object> daemon() throws Exception {
        return Json.asObject(Json.parse(Files.readString(daemonJson())));
    }

    static String resource(String name) throws Exception {
        try (InputStream in = VmScript.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void onInstallsTheWrapperRegistersItAsTheDefaultRuntimeAndAddsTheDropIn() throws Exception {
        var run = h.ssh(on(A), "apply", "auto");

        assertThat(run.result().ok()).as(run.stdout() + run.stderr()).isTrue();
        assertThat(run.result().containers()).contains("on " + VmScript.CONTAINERS_VERSION);
        assertThat(run.result().containersChanged()).isTrue();
        assertThat(rt("runc")).hasContent(resource("oci/runc.sh"));
        assertThat(rt("vmtrust_oci.py")).hasContent(resource("oci/vmtrust_oci.py"));
        assertThat(rt("dockerd-pre")).hasContent(resource("oci/dockerd-pre.sh"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rt("runc"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.readSymbolicLink(rt("bin/runc"))).isEqualTo(Path.of("../runc"));
        assertThat(rt("version")).hasContent(VmScript.CONTAINERS_VERSION);
        assertThat(ct("corporate.pem")).hasContent(A.pem());
        assertThat(Files.readAllLines(ct("inject"))).hasSize(2).first().isEqualTo("/etc/ssl/certs/ca-certificates.crt");
        assertThat(Files.readString(dropIn()))
                .contains(
                        "[Service]\n",
                        "Environment=PATH=/etc/vmtrust/runtime/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
                        "ExecStartPre=-/bin/sh /etc/vmtrust/runtime/dockerd-pre\n");
        assertThat(daemon())
                .containsEntry("default-runtime", "vmtrust")
                .containsKey("features")
                .containsEntry("runtimes", Map.of("vmtrust", Map.of("path", "/etc/vmtrust/runtime/runc")));
        assertThat(h.calls("systemctl")).contains("systemctl daemon-reload");
    }

    @Test
    void aSecondRunChangesNothingAndObserveReportsTheVersion() throws Exception {
        h.ssh(on(A), "apply", "auto");
        h.clearCalls();

        var again = h.ssh(on(A), "apply", "auto");
        var seen = h.ssh(VmScript.withoutCertificates(), "observe");

        assertThat(again.result().ok()).isTrue();
        assertThat(again.result().containersChanged()).isFalse();
        assertThat(h.calls("systemctl")).doesNotContain("systemctl daemon-reload");
        assertThat(seen.result().containers()).contains("on " + VmScript.CONTAINERS_VERSION);
        assertThat(VmScript.containersInSync(on(A), seen.result())).isTrue();
        assertThat(VmScript.containersInSync(off(A), seen.result())).isFalse();
    }

    @Test
    void aRotationRewritesTheCorporateFileTheContainersGet() throws Exception {
        h.ssh(on(A), "apply", "auto");

        var run = h.ssh(on(B), "apply", "auto");

        assertThat(run.result().ok()).isTrue();
        assertThat(ct("corporate.pem")).hasContent(B.pem());
    }

    @Test
    void aMissingFileIsBrokenAndTheNextApplyRepairsIt() throws Exception {
        h.ssh(on(A), "apply", "auto");
        Files.delete(rt("runc"));

        var seen = h.ssh(VmScript.withoutCertificates(), "observe");
        var repair = h.ssh(on(A), "apply", "auto");

        assertThat(seen.result().containers()).contains("broken");
        assertThat(VmScript.containersInSync(on(A), seen.result())).isFalse();
        assertThat(repair.result().containersChanged()).isTrue();
        assertThat(rt("runc")).hasContent(resource("oci/runc.sh"));
    }

    @Test
    void withoutPython3TheCasAreInstalledAndTheRunFailsWithTheNextStep() throws Exception {
        Files.delete(h.tools.resolve("python3"));

        var run = h.ssh(on(A), "apply", "auto");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("containers-no-python");
        assertThat(run.result().error().get().message())
                .contains("python3 is not installed in the VM", "containers.inject: false");
        assertThat(run.result().added()).containsExactly(A.fp16());
        assertThat(h.stamp()).exists();
        assertThat(ct("inject")).doesNotExist();

        var boot = h.provision(on(A));
        assertThat(boot.exit())
                .as("a boot is never failed by the containers part")
                .isZero();
        assertThat(boot.stderr()).contains("vmtrust: containers: python3 is not installed in the VM");
    }

    @Test
    void anotherDefaultRuntimeIsLeftAloneAndNamedInTheError() throws Exception {
        Files.writeString(daemonJson(), "{\"default-runtime\": \"nvidia\"}");

        var run = h.ssh(on(A), "apply", "auto");
        var seen = h.ssh(VmScript.withoutCertificates(), "observe");

        assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("containers-blocked");
        assertThat(run.result().error().get().message()).contains("default-runtime nvidia");
        assertThat(daemon()).containsEntry("default-runtime", "nvidia");
        assertThat(seen.result().containers()).contains("blocked nvidia");
    }

    @Test
    void offKeepsARegisteredPassthroughWhileItCannotTellThatNothingUsesIt() throws Exception {
        h.ssh(on(A), "apply", "auto");

        var run = h.ssh(off(A), "apply", "auto");
        var seen = h.ssh(VmScript.withoutCertificates(), "observe");

        assertThat(run.result().ok()).as(run.stdout() + run.stderr()).isTrue();
        assertThat(run.result().containers()).contains("kept");
        assertThat(run.result().containersChanged()).isTrue();
        assertThat(ct("inject")).doesNotExist();
        assertThat(ct("corporate.pem")).doesNotExist();
        assertThat(rt("runc")).exists();
        assertThat(daemon())
                .doesNotContainKey("default-runtime")
                .containsEntry("runtimes", Map.of("vmtrust", Map.of("path", "/etc/vmtrust/runtime/runc")));
        assertThat(Files.readString(dropIn()))
                .contains("ExecStartPre=-/bin/sh /etc/vmtrust/runtime/dockerd-pre\n")
                .doesNotContain("Environment=PATH");
        assertThat(seen.result().containers()).contains("kept");
        assertThat(VmScript.containersInSync(off(A), seen.result())).isTrue();
    }

    @Test
    void offWithoutDockerRemovesEverythingAndGivesDaemonJsonBack() throws Exception {
        h.ssh(on(A), "apply", "auto");
        Files.delete(h.bin.resolve("dockerd"));

        var run = h.ssh(off(A), "apply", "auto");
        var seen = h.ssh(VmScript.withoutCertificates(), "observe");

        assertThat(run.result().ok()).as(run.stdout() + run.stderr()).isTrue();
        assertThat(run.result().containers()).isEmpty();
        assertThat(run.result().containersChanged()).isTrue();
        assertThat(h.root.resolve("etc/vmtrust/runtime")).doesNotExist();
        assertThat(h.root.resolve("etc/vmtrust/containers")).doesNotExist();
        assertThat(dropIn()).doesNotExist();
        assertThat(daemonJson()).hasContent(ORIGINAL_DAEMON_JSON);
        assertThat(seen.stdout()).doesNotContain("containers");
    }

    @Test
    void purgeRemovesWhatNothingNeedsAndKeepsThePassthroughOtherwise() throws Exception {
        h.ssh(on(A), "apply", "auto");

        var kept = h.ssh(VmScript.withoutCertificates(), "remove");
        assertThat(kept.result().ok()).as(kept.stdout() + kept.stderr()).isTrue();
        assertThat(kept.result().containers()).contains("kept");
        assertThat(rt("runc")).exists();
        assertThat(h.stamp()).doesNotExist();

        Files.delete(h.bin.resolve("dockerd"));
        var gone = h.ssh(VmScript.withoutCertificates(), "remove");
        assertThat(gone.result().ok()).isTrue();
        assertThat(h.root.resolve("etc/vmtrust")).doesNotExist();
        assertThat(daemonJson()).hasContent(ORIGINAL_DAEMON_JSON);
    }

    @Test
    void aVmWithoutDockerGetsNothingAndCountsAsInSync() throws Exception {
        Files.delete(h.bin.resolve("dockerd"));

        var run = h.ssh(on(A), "apply", "auto");
        var seen = h.ssh(VmScript.withoutCertificates(), "observe");

        assertThat(run.result().containers()).contains("none");
        assertThat(h.root.resolve("etc/vmtrust/runtime")).doesNotExist();
        assertThat(seen.stdout()).doesNotContain("containers");
        assertThat(VmScript.containersInSync(on(A), seen.result())).isTrue();
    }

    @Test
    void theBootEntryInstallsItToo() throws Exception {
        var boot = h.provision(on(A));

        assertThat(boot.exit()).as(boot.stderr()).isZero();
        assertThat(boot.result().containers()).contains("on " + VmScript.CONTAINERS_VERSION);
        assertThat(daemon()).containsEntry("default-runtime", "vmtrust");
    }

    @Test
    void anOlderVersionInTheVmIsRewritten() throws Exception {
        h.ssh(on(A), "apply", "auto");
        Files.writeString(rt("version"), "0123456789abcdef\n");

        var seen = h.ssh(VmScript.withoutCertificates(), "observe");
        Files.writeString(rt("runc"), "#!/bin/sh\n# an older wrapper\nexec runc \"$@\"\n");
        var run = h.ssh(on(A), "apply", "auto");

        assertThat(seen.result().containers()).contains("on 0123456789abcdef");
        assertThat(VmScript.containersInSync(on(A), seen.result())).isFalse();
        assertThat(run.result().containersChanged()).isTrue();
        assertThat(rt("runc")).hasContent(resource("oci/runc.sh"));
        assertThat(rt("version")).hasContent(VmScript.CONTAINERS_VERSION);
    }
}
