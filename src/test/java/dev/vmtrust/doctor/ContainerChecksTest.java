package dev.vmtrust.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.ssh.FakeRemoteShell;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.TargetKind;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.script.ScriptOutput;
import dev.vmtrust.vm.script.ScriptResult;
import dev.vmtrust.vm.script.VmScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** doctor's containers check: what each VM state says, and the proof by a throwaway container. */
class ContainerChecksTest {
    static final CaBundle SET =
            CaBundle.of(List.of(TestCerts.rootCa("CN=Corp Root,O=Corp").cert()));
    static final String ON = VmScript.render(SET, true), OFF = VmScript.render(SET, false);
    static final TargetRef T =
            TargetRef.of(TargetKind.COLIMA, "default", Path.of("/x/_lima/colima"), Path.of("/x/default/colima.yaml"));
    static final String CURRENT = "vmtrust: containers on " + VmScript.CONTAINERS_VERSION + "\n";

    static ScriptResult seen(String lines) {
        return ScriptOutput.parse(lines + "vmtrust: done none\n", "", 0);
    }

    Optional<Check> check(String script, String observed, FakeRemoteShell sh) {
        return ContainerChecks.check(sh, T, script, seen(observed), Duration.ofSeconds(5));
    }

    @Test
    void offAndNothingInstalledSaysNothingAndRunsNothing() {
        FakeRemoteShell sh = new FakeRemoteShell();
        assertThat(check(OFF, "vmtrust: engines docker\n", sh)).isEmpty();
        assertThat(sh.calls()).isEmpty();
    }

    @Test
    void aProvenInjectionIsOkAndNamesTheImageById() {
        FakeRemoteShell sh = new FakeRemoteShell()
                .reply(
                        0,
                        "vmtrust: ct-default vmtrust\nvmtrust: ct-builds yes\n" + "vmtrust: ct-probe ok 0123456789ab\n",
                        "");
        Check c = check(ON, "vmtrust: engines docker\n" + CURRENT, sh).orElseThrow();
        assertThat(c.status()).isEqualTo(Check.Status.OK);
        assertThat(c.message()).contains("injection active", "0123456789ab", "uid 65534", "build steps too");
        assertThat(sh.commands()).containsExactly("sudo -n /bin/sh -s");
        assertThat(sh.calls().get(0).stdinText())
                .isEqualTo(ContainerChecks.SCRIPT)
                .contains("--pull never")
                .doesNotContain("docker pull");
    }

    @Test
    void buildsNotYetCoveredWarnsWithTheRestartHint() {
        Check c = ContainerChecks.judge(
                "colima/default",
                ContainerChecks.parse("vmtrust: ct-default vmtrust\n"
                        + "vmtrust: ct-builds no\nvmtrust: ct-probe ok 0123456789ab\n"));
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.message()).contains("BuildKit steps only after dockerd restarts");
        assertThat(c.hint()).contains("--restart always");
    }

    @Test
    void aContainerThatDoesNotSeeTheBundleFailsAndAnotherDefaultRuntimeToo() {
        assertThat(ContainerChecks.judge(
                                "n",
                                ContainerChecks.parse("vmtrust: ct-default vmtrust\nvmtrust: ct-builds yes\n"
                                        + "vmtrust: ct-probe missing 0123456789ab\n"))
                        .status())
                .isEqualTo(Check.Status.FAIL);
        Check runc = ContainerChecks.judge(
                "n", ContainerChecks.parse("vmtrust: ct-default runc\nvmtrust: ct-probe ok 0123456789ab\n"));
        assertThat(runc.status()).isEqualTo(Check.Status.FAIL);
        assertThat(runc.message()).contains("default runtime is runc");
    }

    @Test
    void noImageWithAShellIsAWarningNeverAPull() {
        Check c = ContainerChecks.judge(
                "n",
                ContainerChecks.parse(
                        "vmtrust: ct-default vmtrust\nvmtrust: ct-builds yes\n" + "vmtrust: ct-probe no-image\n"));
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.message()).contains("not proven", "no image with /bin/sh");
    }

    @Test
    void eachVmStateHasItsVerdict() {
        FakeRemoteShell sh = new FakeRemoteShell();
        assertThat(check(ON, "vmtrust: engines containerd\n", sh).orElseThrow().status())
                .isEqualTo(Check.Status.WARN);
        assertThat(check(ON, "vmtrust: engines docker\n", sh).orElseThrow().hint())
                .isEqualTo("vmtrust sync");
        assertThat(check(ON, "vmtrust: containers no-python\n", sh)
                        .orElseThrow()
                        .hint())
                .contains("python3-minimal");
        assertThat(check(ON, "vmtrust: containers blocked nvidia\n", sh)
                        .orElseThrow()
                        .message())
                .contains("nvidia");
        assertThat(check(ON, "vmtrust: containers on 0000000000000000\n", sh)
                        .orElseThrow()
                        .message())
                .contains("another vmtrust version");
        assertThat(check(ON, "vmtrust: containers broken\n", sh).orElseThrow().status())
                .isEqualTo(Check.Status.FAIL);
        assertThat(check(OFF, "vmtrust: containers kept\n", sh).orElseThrow().status())
                .isEqualTo(Check.Status.OK);
        assertThat(check(OFF, "vmtrust: containers unused\n", sh).orElseThrow().status())
                .isEqualTo(Check.Status.WARN);
        assertThat(check(OFF, CURRENT, sh).orElseThrow().status()).isEqualTo(Check.Status.FAIL);
        assertThat(sh.calls()).as("no proof unless the VM's part is current").isEmpty();
    }

    @Test
    void theProbeScriptIsValidShellAndPassesShellcheckWhereInstalled() throws Exception {
        Process p =
                new ProcessBuilder("/bin/sh", "-n").redirectErrorStream(true).start();
        p.getOutputStream().write(ContainerChecks.SCRIPT.getBytes());
        p.getOutputStream().close();
        assertThat(p.waitFor())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();
        dev.vmtrust.testing.Require.tool("the shellcheck pass", "/usr/bin/shellcheck");
        Process sc = new ProcessBuilder("/usr/bin/shellcheck", "-s", "sh", "-")
                .redirectErrorStream(true)
                .start();
        sc.getOutputStream().write(ContainerChecks.SCRIPT.getBytes());
        sc.getOutputStream().close();
        assertThat(sc.waitFor())
                .as(new String(sc.getInputStream().readAllBytes()))
                .isZero();
    }
}
