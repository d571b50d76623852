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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live part with containers.inject: a VM whose CAs are in sync still gets an apply when its containers part is not. */
class LiveSyncContainersTest {
    private static final CaCert CA = TestCerts.rootCa("CN=Corp Root,O=Corp").cert();
    private static final CaCert NEW = TestCerts.rootCa("CN=Corp Root 2,O=Corp").cert();
    private static final CaBundle SET = CaBundle.of(List.of(CA));
    private static final String ON = VmScript.render(SET, true);
    private static final String OFF = VmScript.render(SET, false);
    private static final String IN_SYNC = "vmtrust: stamp " + SET.fingerprint() + "\nvmtrust: file " + CA.fp16() + "\n";
    private static final String DONE = "vmtrust: done " + SET.fingerprint() + "\n";

    @TempDir
    Path tmp;

    private RunningColimaVm running;
    private TargetRef target;
    private FakeSshConnector ssh;
    private FakeRemoteShell vm;
    private LiveSync live;

    @BeforeEach
    void vm() throws Exception {
        running = RunningColimaVm.in(tmp);
        target = running.target();
        ssh = running.ssh();
        vm = running.shell();
        live = running.live(0); // observe first: how a large set (and doctor) sees the containers part
    }

    @Test
    void turningInjectOnAppliesWithTheWrapperFilesAlthoughTheCasAreInSync() {
        vm.reply(out(IN_SYNC + "vmtrust: engines docker\n" + DONE));
        vm.reply(out("vmtrust: unchanged\nvmtrust: containers-changed\nvmtrust: containers on "
                + VmScript.CONTAINERS_VERSION + "\n" + DONE));

        LiveResult o = live.sync(target, SET, ON, RestartPolicy.AUTO, false);

        assertThat(o.status()).isEqualTo(LiveStatus.UPDATED);
        assertThat(vm.commands()).containsExactly("sudo -n /bin/sh -s -- observe", "sudo -n /bin/sh -s -- apply auto");
        String pushed = vm.calls().get(1).stdinText();
        assertThat(VmScript.injectsContainers(pushed)).isTrue();
        assertThat(pushed).as("the VM has the CA: no PEM is sent again").doesNotContain("BEGIN CERTIFICATE");
    }

    @Test
    void withASmallSetTurningInjectOnIsOneApplyThatCarriesTheWrapper() {
        LiveSync oneExec = running.live();
        vm.reply(out("vmtrust: unchanged\nvmtrust: containers-changed\nvmtrust: containers on "
                + VmScript.CONTAINERS_VERSION + "\n" + DONE));
        assertThat(oneExec.sync(target, SET, ON, RestartPolicy.AUTO, false).status())
                .isEqualTo(LiveStatus.UPDATED);
        assertThat(vm.commands()).containsExactly("sudo -n /bin/sh -s -- apply auto");
        assertThat(VmScript.injectsContainers(vm.calls().get(0).stdinText())).isTrue();
    }

    @Test
    void aVmInSyncOnBothPartsCostsOneRoundTrip() {
        vm.reply(out(IN_SYNC + "vmtrust: engines docker\nvmtrust: containers on " + VmScript.CONTAINERS_VERSION + "\n"
                + DONE));
        assertThat(live.sync(target, SET, ON, RestartPolicy.AUTO, false).status())
                .isEqualTo(LiveStatus.UNCHANGED);
        assertThat(vm.commands()).hasSize(1);
    }

    @Test
    void offWithOnlyAKeptPassthroughIsInSyncAndAnUnusedOneIsCleaned() {
        vm.reply(out(IN_SYNC + "vmtrust: containers kept\n" + DONE));
        assertThat(live.sync(target, SET, OFF, RestartPolicy.AUTO, false).status())
                .isEqualTo(LiveStatus.UNCHANGED);

        vm.reply(out(IN_SYNC + "vmtrust: containers unused\n" + DONE));
        vm.reply(out("vmtrust: unchanged\nvmtrust: containers-changed\n" + DONE));
        LiveResult o = live.sync(target, SET, OFF, RestartPolicy.AUTO, false);
        assertThat(o.status()).isEqualTo(LiveStatus.UPDATED);
        assertThat(VmScript.injectsContainers(vm.calls().get(2).stdinText())).isFalse();
    }

    @Test
    void aRotationCarriesOnlyTheNewPemAndKeepsInjectOn() {
        CaBundle rotated = CaBundle.of(List.of(CA, NEW));
        vm.reply(out(IN_SYNC + "vmtrust: containers on " + VmScript.CONTAINERS_VERSION + "\n" + DONE));
        vm.reply(out("vmtrust: added " + NEW.fp16() + "\nvmtrust: trust-updated\nvmtrust: done " + rotated.fingerprint()
                + "\n"));

        live.sync(target, rotated, VmScript.render(rotated, true), RestartPolicy.AUTO, false);

        String pushed = vm.calls().get(1).stdinText();
        assertThat(pushed).contains(NEW.pem()).doesNotContain(CA.pem());
        assertThat(VmScript.injectsContainers(pushed)).isTrue();
    }

    @Test
    void aDryRunReportsWouldUpdateWithoutApplying() {
        vm.reply(out(IN_SYNC + "vmtrust: engines docker\n" + DONE));
        assertThat(live.sync(target, SET, ON, RestartPolicy.AUTO, true).status())
                .isEqualTo(LiveStatus.WOULD_UPDATE);
        assertThat(vm.commands()).hasSize(1);
    }

    @Test
    void purgeThatKeepsThePassthroughSaysWhyAndWhatToDo() {
        vm.reply(out("vmtrust: removed " + CA.fp16()
                + "\nvmtrust: trust-updated\nvmtrust: containers kept\nvmtrust: done none\n"));
        LiveResult o = live.remove(target);
        assertThat(o.status()).isEqualTo(LiveStatus.UPDATED);
        assertThat(o.hint()).contains("/etc/vmtrust/runtime", "vmtrust uninstall --purge again");
    }
}
