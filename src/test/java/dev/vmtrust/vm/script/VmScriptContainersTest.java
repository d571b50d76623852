package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What containers.inject changes in the rendered script, and how the host judges the VM's containers line. */
class VmScriptContainersTest {
    static final CaCert A = TestCerts.rootCa("CN=Corp Root A,O=Corp").cert();
    static final CaBundle SET = CaBundle.of(List.of(A));

    @TempDir
    Path tmp;

    static String resource(String name) throws Exception {
        try (InputStream in = VmScript.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ScriptResult seen(String lines) {
        return ScriptOutput.parse(lines + "vmtrust: done none\n", "", 0);
    }

    @Test
    void offIsTheDefaultAndCarriesNoWrapper() throws Exception {
        String off = VmScript.render(SET, false);
        assertThat(off)
                .isEqualTo(VmScript.render(SET))
                .contains("CT_WANT='off'\n", "ct_text() { return 1; }\n")
                .doesNotContain("vmtrust_oci.py spec");
        assertThat(VmScript.injectsContainers(off)).isFalse();
        assertThat(VmScript.injectsContainers(VmScript.withoutCertificates())).isFalse();
        assertThat(VmScript.renderCarrying(SET, Set.of())).isEqualTo(VmScript.renderCarrying(SET, Set.of(), false));
    }

    @Test
    void onCarriesTheThreeFilesVerbatimAsQuotedHereDocuments() throws Exception {
        String on = VmScript.render(SET, true);
        assertThat(on)
                .startsWith(VmScript.MARKER_PREFIX + SET.fingerprint() + ")\n")
                .contains("CT_WANT='on " + VmScript.CONTAINERS_VERSION + "'\n")
                .contains("vmtrust_oci.py) cat <<'VMTRUST_CONTAINER_FILE_EOF'\n" + resource("oci/vmtrust_oci.py")
                        + "VMTRUST_CONTAINER_FILE_EOF\n")
                .contains(resource("oci/runc.sh"), resource("oci/dockerd-pre.sh"));
        assertThat(VmScript.injectsContainers(on)).isTrue();
        assertThat(VmScript.CONTAINERS_VERSION).matches("[0-9a-f]{16}");
        assertThat(VmScript.render(SET, true)).isEqualTo(on);
    }

    @Test
    void bothRenderingsAreValidShellForDashAndBusybox() throws Exception {
        for (boolean inject : new boolean[] {false, true}) {
            Path f = Files.writeString(tmp.resolve("s" + inject + ".sh"), VmScript.render(SET, inject));
            for (List<String> sh : List.of(List.of("/usr/bin/dash"), List.of("/usr/bin/busybox", "sh"))) {
                if (!Files.isExecutable(Path.of(sh.get(0)))) continue;
                List<String> argv = new java.util.ArrayList<>(sh);
                argv.addAll(List.of("-n", f.toString()));
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor())
                        .as(sh + " -n, inject " + inject + ": " + out)
                        .isZero();
            }
        }
    }

    @Test
    void theRenderingAndTheWrapperFilesPassShellcheckWhereInstalled() throws Exception {
        dev.vmtrust.testing.Require.tool("the shellcheck pass", "/usr/bin/shellcheck");
        Path script = Files.writeString(tmp.resolve("on.sh"), VmScript.render(SET, true));
        Path runc = Files.writeString(tmp.resolve("runc.sh"), resource("oci/runc.sh"));
        Path pre = Files.writeString(tmp.resolve("dockerd-pre.sh"), resource("oci/dockerd-pre.sh"));
        Process p = new ProcessBuilder(
                        "/usr/bin/shellcheck", "-s", "sh", script.toString(), runc.toString(), pre.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void theHostJudgesTheContainersLine() {
        String on = VmScript.render(SET, true), off = VmScript.render(SET, false);
        String current = "vmtrust: containers on " + VmScript.CONTAINERS_VERSION + "\n";
        assertThat(VmScript.containersInSync(on, seen(current))).isTrue();
        assertThat(VmScript.containersInSync(on, seen("vmtrust: containers on 0000000000000000\n")))
                .isFalse();
        assertThat(VmScript.containersInSync(on, seen("vmtrust: containers broken\n")))
                .isFalse();
        assertThat(VmScript.containersInSync(on, seen("vmtrust: containers kept\n")))
                .isFalse();
        assertThat(VmScript.containersInSync(on, seen("vmtrust: engines docker\n")))
                .as("docker runs, nothing installed")
                .isFalse();
        assertThat(VmScript.containersInSync(on, seen("vmtrust: engines containerd\n")))
                .as("no docker running")
                .isTrue();
        assertThat(VmScript.containersInSync(off, seen("vmtrust: engines docker\n")))
                .isTrue();
        assertThat(VmScript.containersInSync(off, seen("vmtrust: containers kept\n")))
                .isTrue();
        assertThat(VmScript.containersInSync(off, seen("vmtrust: containers unused\n")))
                .isFalse();
        assertThat(VmScript.containersInSync(off, seen(current))).isFalse();
    }

    @Test
    void theContainersLinesParseAndAMalformedOneIsBadOutput() {
        ScriptResult r = seen("vmtrust: containers-changed\nvmtrust: containers blocked nvidia\n");
        assertThat(r.containers()).contains("blocked nvidia");
        assertThat(r.containersChanged()).isTrue();
        assertThat(r.ok()).isTrue();
        assertThat(seen("").containers()).isEmpty();
        ScriptResult bad = seen("vmtrust: containers on $(reboot)\n");
        assertThat(bad.containers()).isEmpty();
        assertThat(bad.error()).get().extracting(ScriptError::code).isEqualTo("bad-output");
    }
}
