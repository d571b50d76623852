package dev.vmtrust.vm;

import static dev.vmtrust.vm.RunningColimaVm.out;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config.RestartPolicy;
import dev.vmtrust.ssh.FakeRemoteShell;
import dev.vmtrust.ssh.FakeSshConnector;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.vm.script.VmScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live part against a scripted VM: which round trips happen, and how each outcome is reported. */
class LiveSyncTest {
    private static final CaCert CA = TestCerts.rootCa("CN=Corp Root,O=Corp").cert();
    private static final CaBundle SET = CaBundle.of(List.of(CA));
    private static final String SCRIPT = VmScript.render(SET);

    @TempDir
    Path tmp;

    private TargetRef target;
    private FakeSshConnector ssh;
    private FakeRemoteShell vm;
    private LiveSync live;
    /** The path of a set too large to send every round: observe, plan, apply only the plan. */
    private LiveSync observeFirst;

    @BeforeEach
    void vm() throws Exception {
        RunningColimaVm running = RunningColimaVm.in(tmp);
        target = running.target();
        ssh = running.ssh();
        vm = running.shell();
        live = running.live();
        observeFirst = running.live(0);
    }

    @Test
    void anInSyncVmCostsOneRoundTripThatCarriesTheSetAndChangesNothing() {
        vm.reply(out("vmtrust: unchanged\nvmtrust: done " + SET.fingerprint() + "\n"));
        LiveResult o = live.sync(target, SET, SCRIPT, RestartPolicy.AUTO, false);
        assertThat(o).isEqualTo(new LiveResult.Unchanged());
        assertThat(vm.commands()).containsExactly("sudo -n /bin/sh -s -- apply auto");
        assertThat(vm.calls().get(0).stdinText()).isEqualTo(SCRIPT);
        assertThat(ssh.openShells()).isZero();
    }

    @Test
    void aRotationOfASmallSetIsOneRoundTripToo() {
        vm.reply(out("vmtrust: added " + CA.fp16() + "\nvmtrust: removed 0123456789abcdef\nvmtrust: trust-updated\n"
                + "vmtrust: engines docker\nvmtrust: restarted docker\nvmtrust: done " + SET.fingerprint() + "\n"));
        LiveResult o = live.sync(target, SET, SCRIPT, RestartPolicy.AUTO, false);
        assertThat(o).isEqualTo(new LiveResult.Updated(1, 1, List.of("docker")));
        assertThat(vm.commands()).containsExactly("sudo -n /bin/sh -s -- apply auto");
    }

    @Test
    void aLargeSetInSyncCostsOneObserveThatSendsNoPem() {
        vm.reply(out("vmtrust: stamp " + SET.fingerprint() + "\nvmtrust: file " + CA.fp16() + "\nvmtrust: done "
                + SET.fingerprint() + "\n"));
        LiveResult o = observeFirst.sync(target, SET, SCRIPT, RestartPolicy.AUTO, false);
        assertThat(o.status()).isEqualTo(LiveStatus.UNCHANGED);
        assertThat(vm.commands()).containsExactly("sudo -n /bin/sh -s -- observe");
        assertThat(vm.calls().get(0).stdinText())
                .as("no PEM is sent to observe")
                .isEqualTo(VmScript.withoutCertificates());
        assertThat(ssh.openShells()).isZero();
    }

    @Test
    void aBusyEngineIsReportedAsPendingRestartWithItsContainerCount() {
        vm.reply(out("vmtrust: added " + CA.fp16() + "\nvmtrust: trust-updated\nvmtrust: pending docker containers=2\n"
                + "vmtrust: restart-pending docker\nvmtrust: done " + SET.fingerprint() + "\n"));
        LiveResult o = live.sync(target, SET, SCRIPT, RestartPolicy.AUTO, false);
        assertThat(o)
                .isEqualTo(new LiveResult.PendingRestart(
                        1,
                        0,
                        List.of(),
                        List.of("docker"),
                        2,
                        true,
                        "the next sync restarts docker once no container runs; to restart now: "
                                + "vmtrust sync --restart always --target colima/default"));
        assertThat(vm.commands()).containsExactly("sudo -n /bin/sh -s -- apply auto");
    }

    @Test
    void withRestartNeverTheHintSaysTheEngineKeepsTheOldRootsUntilTheUserRestartsIt() {
        vm.reply(out("vmtrust: added " + CA.fp16() + "\nvmtrust: trust-updated\nvmtrust: pending docker containers=2\n"
                + "vmtrust: done " + SET.fingerprint() + "\n"));
        LiveResult o = live.sync(target, SET, SCRIPT, RestartPolicy.NEVER, false);
        assertThat(o.status()).isEqualTo(LiveStatus.PENDING_RESTART);
        assertThat(o.hint())
                .isEqualTo("docker keeps the old roots until you restart it (restart: never); to restart"
                        + " now: vmtrust sync --restart always --target colima/default");
    }

    @Test
    void aDockerdThatNoKnownInitManagesIsPendingWithTheStepForTheUser() {
        vm.reply(out("vmtrust: added " + CA.fp16() + "\nvmtrust: trust-updated\nvmtrust: engines docker\n"
                + "vmtrust: manual docker\nvmtrust: done " + SET.fingerprint() + "\n"));
        LiveResult o = live.sync(target, SET, SCRIPT, RestartPolicy.AUTO, false);
        assertThat(o.status()).isEqualTo(LiveStatus.PENDING_RESTART);
        assertThat(o.pendingRestart()).containsExactly("docker");
        assertThat(o.hint())
                .isEqualTo("dockerd runs outside any init vmtrust knows: restart it yourself"
                        + " (e.g. colima restart default)");
    }

    @Test
    void aRotationOfOneCaInALargeSetSendsOnlyTheNewPem() {
        List<CaCert> many = TestCerts.rootsSharingOneKey(50, "Many");
        CaBundle set = CaBundle.of(many);
        StringBuilder seen = new StringBuilder("vmtrust: stamp " + "b".repeat(64) + "\n");
        for (CaCert c : many.subList(1, 50))
            seen.append("vmtrust: file ").append(c.fp16()).append('\n');
        vm.reply(out(seen + "vmtrust: file 0123456789abcdef\nvmtrust: done " + "b".repeat(64) + "\n"));
        vm.reply(out(
                "vmtrust: added " + many.get(0).fp16() + "\nvmtrust: removed 0123456789abcdef\nvmtrust: trust-updated\n"
                        + "vmtrust: engines none\nvmtrust: done " + set.fingerprint() + "\n"));

        LiveResult o = observeFirst.sync(target, set, VmScript.render(set), RestartPolicy.AUTO, false);

        assertThat(o.status()).isEqualTo(LiveStatus.UPDATED);
        String pushed = vm.calls().get(1).stdinText();
        assertThat(pushed)
                .isEqualTo(VmScript.renderCarrying(
                        set, java.util.Set.of(many.get(0).fp16())));
        assertThat(pushed.split("BEGIN CERTIFICATE", -1)).hasSize(2);
    }

    @Test
    void aVmThatLostAFileSinceObservingGetsTheWholeSet() {
        vm.reply(out("vmtrust: stamp none\nvmtrust: file " + CA.fp16() + "\nvmtrust: done none\n"));
        vm.reply(
                1,
                "vmtrust: error needs-certificates the VM lacks " + CA.fp16()
                        + " and this script does not carry them\n",
                "");
        vm.reply(out(
                "vmtrust: added " + CA.fp16() + "\nvmtrust: trust-updated\nvmtrust: done " + SET.fingerprint() + "\n"));

        LiveResult o = observeFirst.sync(target, SET, SCRIPT, RestartPolicy.AUTO, false);

        assertThat(o.status()).isEqualTo(LiveStatus.UPDATED);
        assertThat(vm.calls()).hasSize(3);
        assertThat(vm.calls().get(2).stdinText()).isEqualTo(SCRIPT);
    }

    @Test
    void aDryRunObservesAndReportsWhatWouldChangeWithoutApplying() {
        vm.reply(out("vmtrust: stamp " + "a".repeat(64) + "\nvmtrust: file 0123456789abcdef\nvmtrust: done "
                + "a".repeat(64) + "\n"));
        LiveResult o = live.sync(target, SET, SCRIPT, RestartPolicy.ALWAYS, true);
        assertThat(o.status()).isEqualTo(LiveStatus.WOULD_UPDATE);
        assertThat(o.added()).isEqualTo(1);
        assertThat(o.removed()).isEqualTo(1);
        assertThat(vm.commands()).containsExactly("sudo -n /bin/sh -s -- observe");
    }

    @Test
    void sudoAskingForAPasswordIsAFailureThatSaysSo() {
        vm.reply(1, "", "sudo: a password is required\n");
        LiveResult o = live.sync(target, SET, SCRIPT, RestartPolicy.AUTO, false);
        assertThat(o.status()).isEqualTo(LiveStatus.FAILED);
        assertThat(o.error())
                .isEqualTo("colima/default: sudo in the VM asks for a password; vmtrust needs passwordless"
                        + " sudo (Lima and Colima set it up by default)");
        assertThat(o.hint())
                .isEqualTo("allow passwordless sudo for the VM user, or recreate the VM with colima start default");
    }

    @Test
    void aStoppedVmIsSkippedWithoutConnecting() throws Exception {
        Files.delete(target.haPid());
        assertThat(live.sync(target, SET, SCRIPT, RestartPolicy.AUTO, false)).isEqualTo(new LiveResult.Stopped());
        assertThat(ssh.connects()).isEmpty();
    }
}
