package dev.vmtrust.doctor;

import static dev.vmtrust.doctor.DoctorFixture.CA;
import static dev.vmtrust.doctor.DoctorFixture.PROBE_URL;
import static dev.vmtrust.doctor.DoctorFixture.SCRIPT;
import static dev.vmtrust.doctor.DoctorFixture.TOOL_OK_PROBE_OK;
import static dev.vmtrust.doctor.DoctorFixture.inSync;
import static dev.vmtrust.doctor.DoctorFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.FakeRemoteShell;
import dev.vmtrust.ssh.SshException;
import dev.vmtrust.vm.script.ScriptOutput;
import dev.vmtrust.vm.script.VmScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-target checks with a fake SSH connector scripted in the in-VM script's output grammar. */
class DoctorTargetTest {
    @TempDir
    Path tmp;

    DoctorFixture f;
    String sha;

    @BeforeEach
    void setUp() {
        f = new DoctorFixture(tmp);
        sha = DoctorFixture.SET.label();
    }

    private String sshConfig(String profile) {
        return f.instanceDir(profile).resolve("ssh.config").toString();
    }

    @Test
    void aVmInSyncPassesEveryCheckOverOneSessionWithTwoCommands() {
        f.running("default", 2222).persisted("default", SCRIPT);
        FakeRemoteShell vm = f.vm("colima/default", inSync(), TOOL_OK_PROBE_OK);

        List<Check> checks = f.run();

        assertThat(lines(checks, "colima/default"))
                .isEqualTo(""
                        + "ok    colima/default      target-state: running\n"
                        + "ok    colima/default      ssh-config: " + sshConfig("default")
                        + ": limauser@127.0.0.1:2222\n"
                        + "ok    colima/default      ssh-key: " + f.colima.resolve("_lima/_config/user")
                        + " is readable\n"
                        + "ok    colima/default      ssh: reachable as limauser@127.0.0.1:2222\n"
                        + "ok    colima/default      sudo: passwordless sudo works\n"
                        + "ok    colima/default      trust-tool: distro debian, update-ca-certificates found\n"
                        + "ok    colima/default      stamp: the VM trusts the CA set " + sha + "\n"
                        + "ok    colima/default      restart-pending: no engine restart pending (engines: docker)\n"
                        + "ok    colima/default      persisted: the provision entry in " + f.profileYaml("default")
                        + " is current\n"
                        + "ok    colima/default      probe-vm: " + PROBE_URL + ": trusted inside the VM\n");
        assertThat(f.ssh.connects()).hasSize(1);
        assertThat(f.ssh.openShells()).isZero();
        assertThat(vm.commands()).containsExactly("sudo -n /bin/sh -s -- observe", VmProbeScript.command("debian"));
        assertThat(vm.calls().get(0).stdinText()).isEqualTo(SCRIPT);
        assertThat(vm.calls().get(1).stdinText()).isEqualTo(PROBE_URL + "\n");
        assertThat(Check.anyFailed(checks)).isFalse();
    }

    @Test
    void beforeTheFirstSyncTheStampAndTheEntryFailWithVmtrustSyncAsNextStep() {
        f.running("default", 2222);
        f.vm(
                "colima/default",
                new ExecResult(
                        0,
                        "vmtrust: distro debian\nvmtrust: stamp none\nvmtrust: engines none\n" + "vmtrust: done none\n",
                        ""),
                "vmtrust: tool update-ca-certificates found\nvmtrust: probe 1 60 curl: (60) SSL certificate problem: unable to get local issuer certificate\n");

        String out = lines(f.run(), "colima/default");

        assertThat(out)
                .contains(
                        "fail  colima/default      stamp: the VM's trust store differs from the CA set: stamp none, want "
                                + sha + "; 1 to add, 0 to remove\n      next: vmtrust sync\n")
                .contains("ok    colima/default      restart-pending: no engine restart pending\n")
                .contains(
                        "fail  colima/default      persisted: no vmtrust provision entry in " + f.profileYaml("default")
                                + "; a recreated VM would not trust the CA set\n      next: vmtrust sync\n")
                .contains(
                        "fail  colima/default      probe-vm: " + PROBE_URL
                                + ": the VM does not trust the certificate chain "
                                + "(curl: (60) SSL certificate problem: unable to get local issuer certificate)\n      next: vmtrust sync\n");
    }

    @Test
    void anOldStampAStaleFileAndADifferingFileCountAsChanges() {
        String old = "a".repeat(64);
        f.running("default", 2222)
                .persisted(
                        "default",
                        VmScript.render(dev.vmtrust.trust.CaBundle.of(
                                List.of(dev.vmtrust.testing.TestCerts.rootCa("CN=Old Root")
                                        .cert()))));
        f.vm(
                "colima/default",
                new ExecResult(
                        0,
                        "vmtrust: distro debian\nvmtrust: stamp " + old + "\nvmtrust: file "
                                + CA.cert().fp16() + "\nvmtrust: differs "
                                + CA.cert().fp16() + "\nvmtrust: file 0123456789abcdef\n"
                                + "vmtrust: engines none\nvmtrust: done " + old + "\n",
                        ""),
                TOOL_OK_PROBE_OK);

        String out = lines(f.run(), "colima/default");

        assertThat(out)
                .contains("stamp: the VM's trust store differs from the CA set: stamp sha256:" + old + ", want " + sha
                        + "; 1 to add, 1 to remove\n");
        assertThat(out)
                .containsPattern(
                        "fail  colima/default      persisted: the provision entry in .* is outdated \\(CA set sha256:[0-9a-f]{64}, want "
                                + sha + "\\)\n      next: vmtrust sync\n");
    }

    @Test
    void sudoAskingForAPasswordFailsSudoAndStillProbesAsTheUser() {
        f.running("work", 2223).persisted("work", SCRIPT);
        FakeRemoteShell vm =
                f.vm("colima/work", new ExecResult(1, "", "sudo: a password is required\n"), "vmtrust: probe 1 0 \n");

        String out = lines(f.run(), "colima/work");

        assertThat(out)
                .contains("fail  colima/work         sudo: " + ScriptOutput.SUDO_PASSWORD_MESSAGE + "\n"
                        + "      next: allow passwordless sudo for the VM user, or recreate the VM with colima start work\n"
                        + "ok    colima/work         persisted: the provision entry in " + f.profileYaml("work")
                        + " is current\n"
                        + "ok    colima/work         probe-vm: " + PROBE_URL + ": trusted inside the VM\n");
        assertThat(out).doesNotContain("stamp:").doesNotContain("trust-tool:");
        assertThat(vm.commands().get(1)).isEqualTo(VmProbeScript.command(null)).endsWith("' vmtrust-doctor unknown");
    }

    @Test
    void anUnknownDistroAndAMissingTrustToolFailTrustTool() {
        f.running("a", 2224).persisted("a", SCRIPT).running("b", 2225).persisted("b", SCRIPT);
        f.vm(
                "colima/a",
                new ExecResult(
                        1,
                        "vmtrust: error unknown-distro unsupported Linux distribution (ID=nix ID_LIKE=)\n",
                        "vmtrust: unsupported\n"),
                "vmtrust: probe 1 0 \n");
        f.vm("colima/b", inSync(), "vmtrust: tool update-ca-certificates missing\nvmtrust: probe 1 0 \n");

        List<Check> checks = f.run();

        assertThat(lines(checks, "colima/a"))
                .contains("fail  colima/a            trust-tool: unsupported Linux distribution (ID=nix ID_LIKE=)\n"
                        + "      next: use a Debian, Ubuntu, Alpine, RHEL-family, openSUSE or Arch VM\n");
        assertThat(lines(checks, "colima/b"))
                .contains(
                        "fail  colima/b            trust-tool: distro debian, but update-ca-certificates is not installed\n"
                                + "      next: install the ca-certificates package in the VM\n")
                .contains("ok    colima/b            stamp: the VM trusts the CA set " + sha + "\n");
    }

    @Test
    void aRecordedRestartIsAWarning() {
        f.running("default", 2222).persisted("default", SCRIPT);
        f.vm(
                "colima/default",
                inSync("vmtrust: restart-pending docker", "vmtrust: restart-pending user:containerd"),
                TOOL_OK_PROBE_OK);

        assertThat(lines(f.run(), "colima/default"))
                .contains(
                        "warn  colima/default      restart-pending: restart pending: docker, "
                                + "user:containerd still use the CAs they loaded at start\n"
                                + "      next: vmtrust sync --restart always (running containers stop), or restart them yourself\n");
    }

    @Test
    void anUnreachableVmFailsSshAloneAndTheOthersAreStillChecked() {
        f.running("dead", 2230)
                .persisted("dead", SCRIPT)
                .running("default", 2222)
                .persisted("default", SCRIPT)
                .stopped("old");
        f.ssh.failWith(
                "colima/dead",
                new SshException(
                        SshException.Kind.REFUSED,
                        "colima/dead: cannot reach the VM over SSH "
                                + "(127.0.0.1:2230): connection refused; is it running? try: colima start dead"));
        f.vm("colima/default", inSync(), TOOL_OK_PROBE_OK);

        List<Check> checks = f.run();

        assertThat(lines(checks, "colima/dead"))
                .endsWith(""
                        + "fail  colima/dead         ssh: cannot reach the VM over SSH (127.0.0.1:2230): connection refused; is it running?\n"
                        + "      next: colima start dead\n"
                        + "ok    colima/dead         persisted: the provision entry in " + f.profileYaml("dead")
                        + " is current\n");
        assertThat(lines(checks, "colima/default"))
                .contains("ok    colima/default      stamp: the VM trusts the CA set");
        assertThat(lines(checks, "colima/old"))
                .isEqualTo(""
                        + "ok    colima/old          target-state: stopped; checked when it runs\n"
                        + "fail  colima/old          persisted: no vmtrust provision entry in " + f.profileYaml("old")
                        + "; a recreated VM would not trust the CA set\n      next: vmtrust sync\n");
        assertThat(checks.stream()
                        .filter(c -> c.target() != null)
                        .map(Check::target)
                        .distinct())
                .containsExactly("colima/dead", "colima/default", "colima/old");
    }

    @Test
    void aMissingSshConfigOrKeyFailsItsOwnCheck() throws Exception {
        f.running("a", 2224).persisted("a", SCRIPT).running("b", 2225).persisted("b", SCRIPT);
        Files.delete(f.instanceDir("a").resolve("ssh.config"));
        Files.writeString(
                f.instanceDir("b").resolve("ssh.config"),
                "Host x\n  IdentityFile \"" + tmp.resolve("gone")
                        + "\"\n  User limauser\n  Hostname 127.0.0.1\n  Port 2225\n");

        List<Check> checks = f.run();

        assertThat(lines(checks, "colima/a"))
                .contains("fail  colima/a            ssh-config: " + sshConfig("a")
                        + " does not exist, although the VM runs\n      next: colima restart a\n");
        assertThat(lines(checks, "colima/b"))
                .contains("fail  colima/b            ssh-key: " + sshConfig("b") + ": IdentityFile "
                        + tmp.resolve("gone") + " does not exist\n      next: colima restart b\n");
        assertThat(f.ssh.connects()).isEmpty();
    }

    @Test
    void vmProbesWithoutNetworkWarnAndOtherCurlErrorsWarn() {
        f.running("default", 2222).persisted("default", SCRIPT);
        f.vm(
                "colima/default",
                inSync(),
                "vmtrust: tool update-ca-certificates found\nvmtrust: probe 1 6 curl: (6) Could not resolve host: x\n");

        assertThat(lines(f.run(), "colima/default"))
                .contains("warn  colima/default      probe-vm: " + PROBE_URL
                        + ": no network from the VM (curl: (6) Could not resolve host: x)\n"
                        + "      next: check the VM's network, DNS or proxy settings; the probe only informs\n");
    }

    @Test
    void anObserveThatTimesOutFailsStampWithTheRestartHint() {
        f.running("default", 2222).persisted("default", SCRIPT);
        f.ssh.shell("colima/default")
                .fail(new SshException(
                        SshException.Kind.COMMAND_TIMEOUT, "colima/default: the command did not finish within 1m"));

        assertThat(lines(f.run(), "colima/default"))
                .contains("fail  colima/default      stamp: cannot observe the VM: "
                        + "the command did not finish within 1m\n      next: colima restart default\n");
    }
}
