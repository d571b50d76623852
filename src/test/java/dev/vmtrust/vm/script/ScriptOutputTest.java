package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parsing the script's lines: every fact, errors, and sudo refusing without a password. */
class ScriptOutputTest {
    static final String HEX = "0123456789abcdef".repeat(4);

    @Test
    void anApplyRunIsReadFactByFact() {
        String out = """
                some tool chatter
                vmtrust: distro debian
                vmtrust: added 0123456789abcdef
                vmtrust: repaired 1111111111111111
                vmtrust: removed fedcba9876543210
                vmtrust: trust-updated
                vmtrust: engines containerd,docker,user:buildkit
                vmtrust: restarted containerd
                vmtrust: pending docker containers=2
                vmtrust: pending user:buildkit containers=0
                vmtrust: restart-pending docker
                vmtrust: restart-pending user:buildkit
                vmtrust: some-future-fact 42
                vmtrust: done %s
                """.formatted(HEX);

        ScriptResult r = ScriptOutput.parse(out, "", 0);

        assertThat(r.ok()).isTrue();
        assertThat(r.distro()).contains("debian");
        assertThat(r.added()).containsExactly("0123456789abcdef");
        assertThat(r.repaired()).containsExactly("1111111111111111");
        assertThat(r.removed()).containsExactly("fedcba9876543210");
        assertThat(r.trustUpdated()).isTrue();
        assertThat(r.unchanged()).isFalse();
        assertThat(r.storeChanged()).isTrue();
        assertThat(r.engines()).containsExactly("containerd", "docker", "user:buildkit");
        assertThat(r.restarted()).containsExactly("containerd");
        assertThat(r.pending()).containsExactly("docker", "user:buildkit");
        assertThat(r.containersRunning()).isEqualTo(2);
        assertThat(r.restartPendingRecorded()).containsExactly("docker", "user:buildkit");
        assertThat(r.done()).contains(HEX);
        assertThat(r.error()).isEmpty();
    }

    @Test
    void anObserveRunIsRead() {
        String out = "vmtrust: distro rhel\r\nvmtrust: stamp none\r\nvmtrust: file 0123456789abcdef\r\n"
                + "vmtrust: differs 0123456789abcdef\r\nvmtrust: engines none\r\nvmtrust: done none\r\n";

        ScriptResult r = ScriptOutput.parse(out, "", 0);

        assertThat(r.ok()).isTrue();
        assertThat(r.stamp()).contains("none");
        assertThat(r.files()).containsExactly("0123456789abcdef");
        assertThat(r.differs()).containsExactly("0123456789abcdef");
        assertThat(r.engines()).isEmpty();
    }

    @Test
    void anUnknownContainerCountIsMinusOne() {
        ScriptResult r = ScriptOutput.parse(
                "vmtrust: pending docker containers=?\nvmtrust: pending k3s containers=3\n" + "vmtrust: done " + HEX
                        + "\n",
                "",
                0);

        assertThat(r.containersRunning()).isEqualTo(-1);
    }

    @Test
    void theScriptsErrorLineIsTheError() {
        ScriptResult r = ScriptOutput.parse(
                "vmtrust: distro debian\nvmtrust: error write-failed cannot write /x/y.tmp\n",
                "vmtrust: cannot write /x/y.tmp\n",
                1);

        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains(new ScriptError("write-failed", "cannot write /x/y.tmp"));
        assertThat(r.sudoPasswordRequired()).isFalse();
    }

    @Test
    void sudoAskingForAPasswordIsRecognised() {
        ScriptResult r = ScriptOutput.parse("", "sudo: a password is required\n", 1);

        assertThat(r.sudoPasswordRequired()).isTrue();
        assertThat(r.error())
                .contains(
                        new ScriptError(
                                "sudo-password",
                                "sudo in the VM asks for a password; vmtrust needs passwordless sudo (Lima and Colima set it up by default)"));
        assertThat(ScriptOutput.asksForPassword(
                        "sudo: a terminal is required to read the password; either use the -S option"))
                .isTrue();
        assertThat(ScriptOutput.asksForPassword("sh: 1: foo: not found")).isFalse();
    }

    @Test
    void aFailureWithoutAnErrorLineNamesTheExitAndStderrTail() {
        ScriptResult r = ScriptOutput.parse("vmtrust: distro debian\n", "line one\nsh: 12: Syntax error\n", 2);

        assertThat(r.error())
                .contains(new ScriptError("failed", "the script exited 2: line one / sh: 12: Syntax error"));
    }

    @Test
    void malformedKnownLinesAndAMissingDoneLineAreErrors() {
        ScriptResult bad = ScriptOutput.parse("vmtrust: added ../../etc/passwd\nvmtrust: done none\n", "", 0);
        ScriptResult cut = ScriptOutput.parse("vmtrust: distro debian\nvmtrust: added 0123456789abcdef\n", "", 0);

        assertThat(bad.error())
                .contains(new ScriptError("bad-output", "malformed \"added\" line from the script: ../../etc/passwd"));
        assertThat(bad.added()).isEmpty();
        assertThat(cut.error()).get().extracting(ScriptError::code).isEqualTo("incomplete");
        assertThat(cut.ok()).isFalse();
    }

    @Test
    void stdoutCutInTheMiddleIsAFailureEvenWhenTheScriptEndedWell() {
        ScriptResult r = ScriptOutput.parse(
                "junk\n[vmtrust: 29000000 bytes dropped]\nvmtrust: done " + HEX + "\n", "", 0, 29_000_000);

        assertThat(r.ok()).isFalse();
        assertThat(r.error())
                .contains(new ScriptError(
                        "output-truncated",
                        "the VM printed 29000000 bytes more on stdout"
                                + " than vmtrust keeps, so this run's result is not trusted; something in the VM prints on every"
                                + " command (shell profile, sudo lecture?)"));
    }
}
