package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine restarts per policy, the pending record, user units, OpenRC and boot behaviour. */
class ScriptRestartTest {
    static final CaCert A = TestCerts.rootCa("CN=Restart Root A").cert();
    static final CaCert B = TestCerts.rootCa("CN=Restart Root B").cert();
    static final String SA = VmScript.render(CaBundle.of(List.of(A)));
    static final String SB = VmScript.render(CaBundle.of(List.of(B)));

    @TempDir
    Path tmp;

    ScriptHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).systemd();
        h.set("active-docker", "").set("active-containerd", "");
    }

    List<String> restarts() throws Exception {
        return h.calls().stream().filter(c -> c.contains(" restart ")).toList();
    }

    @Test
    void alwaysRestartsEveryActiveEngineWhenTheStoreChanged() throws Exception {
        h.set("docker-ps", "c1\nc2\n");

        var run = h.ssh(SA, "apply", "always");

        assertThat(run.result().ok()).isTrue();
        assertThat(run.result().engines()).containsExactly("containerd", "docker");
        assertThat(run.result().restarted()).containsExactly("containerd", "docker");
        assertThat(restarts()).containsExactly("systemctl restart containerd", "systemctl restart docker");
        assertThat(h.pendingFile()).doesNotExist();
    }

    @Test
    void neverRestartsNothingAndRecordsNothingButSaysWhatIsPending() throws Exception {
        h.set("docker-ps", "c1\nc2\n");

        var run = h.ssh(SA, "apply", "never");

        assertThat(run.result().ok()).isTrue();
        assertThat(run.result().pending()).containsExactly("containerd", "docker");
        assertThat(run.result().containersRunning()).isEqualTo(2);
        assertThat(run.stdout()).contains("vmtrust: pending docker containers=2\n");
        assertThat(run.result().restartPendingRecorded()).isEmpty();
        assertThat(restarts()).isEmpty();
        assertThat(h.pendingFile()).doesNotExist();
    }

    @Test
    void autoRestartsWhenNoContainerRuns() throws Exception {
        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.result().restarted()).containsExactly("containerd", "docker");
        assertThat(run.result().pending()).isEmpty();
    }

    @Test
    void autoRestartsBusyEnginesWhenDockerHasLiveRestore() throws Exception {
        h.set("docker-ps", "c1\nc2\n").set("live-restore", "true\n");

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.result().restarted()).containsExactly("containerd", "docker");
    }

    @Test
    void autoDefersWhileContainersRunAndALaterIdleRunFinishesTheRestart() throws Exception {
        h.set("docker-ps", "c1\nc2\n");
        var busy = h.ssh(SA, "apply", "auto");
        var stillBusy = h.ssh(SA, "apply", "auto");
        h.set("docker-ps", null);
        h.clearCalls();
        var idle = h.ssh(SA, "apply", "auto");
        var after = h.ssh(SA, "apply", "auto");

        assertThat(busy.result().pending()).containsExactly("containerd", "docker");
        assertThat(busy.result().restartPendingRecorded()).containsExactly("containerd", "docker");
        assertThat(busy.result().ok()).isTrue();
        assertThat(stillBusy.result().unchanged()).isTrue();
        assertThat(stillBusy.result().restartPendingRecorded()).containsExactly("containerd", "docker");
        assertThat(idle.result().unchanged()).isTrue();
        assertThat(idle.result().restarted()).containsExactly("containerd", "docker");
        assertThat(idle.result().restartPendingRecorded()).isEmpty();
        assertThat(h.pendingFile()).doesNotExist();
        assertThat(restarts()).containsExactly("systemctl restart containerd", "systemctl restart docker");
        assertThat(after.result().engines()).isEmpty();
        assertThat(after.stdout()).doesNotContain("engines");
    }

    @Test
    void alwaysFinishesARecordedRestartAtOnce() throws Exception {
        h.ssh(SA, "apply", "auto");
        Files.writeString(h.pendingFile(), "docker\nk3s\n");
        h.set("docker-ps", "c1\n");

        var run = h.ssh(SA, "apply", "always");

        assertThat(run.result().unchanged()).isTrue();
        assertThat(run.result().restarted()).containsExactly("docker"); // k3s is not active: it starts fresh
        assertThat(h.pendingFile()).doesNotExist();
    }

    @Test
    void anUnchangedRunWithoutARecordProbesNoEngine() throws Exception {
        h.ssh(SA, "apply", "auto");
        h.clearCalls();

        h.ssh(SA, "apply", "always");

        assertThat(h.calls()).isEmpty();
    }

    @Test
    void anUnknownContainerCountIsTreatedAsBusy() throws Exception {
        h.set("docker-fail", "");

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.stdout()).contains("vmtrust: pending docker containers=?\n");
        assertThat(run.result().containersRunning()).isEqualTo(-1);
        assertThat(run.result().restarted()).isEmpty();
    }

    @Test
    void containerdWithoutDockerCountsTasksInEveryNamespace() throws Exception {
        h.set("active-docker", null).set("ctr-namespaces", "default\nk8s.io\n").set("ctr-tasks-k8s.io", "t1\n");

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.stdout()).contains("vmtrust: pending containerd containers=1\n");
        assertThat(h.calls()).contains("ctr -n default task ls -q", "ctr -n k8s.io task ls -q");
    }

    @Test
    void containerdWithoutCtrHasAnUnknownCount() throws Exception {
        h.set("active-docker", null).without("ctr");

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.stdout()).contains("vmtrust: pending containerd containers=?\n");
    }

    @Test
    void theSshUsersRootlessEnginesAreRestartedThroughTheirUserManager() throws Exception {
        h.set("active-docker", null).set("active-containerd", null).sudoUser("alice", 1000);
        h.set("user-active-containerd", "").set("user-active-buildkit", "").set("nerdctl-namespaces", "default\n");

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.result().engines()).containsExactly("user:containerd", "user:buildkit");
        assertThat(run.result().restarted()).containsExactly("user:containerd", "user:buildkit");
        assertThat(restarts())
                .containsExactly(
                        "sudo -n -u alice env XDG_RUNTIME_DIR=" + h.root
                                + "/run/user/1000 systemctl --user restart containerd",
                        "systemctl --user restart containerd",
                        "sudo -n -u alice env XDG_RUNTIME_DIR=" + h.root
                                + "/run/user/1000 systemctl --user restart buildkit",
                        "systemctl --user restart buildkit");
    }

    @Test
    void aFailedRestartIsRecordedAndReportedAfterTheStampIsWritten() throws Exception {
        h.set("restart-fail-docker", "");

        var run = h.ssh(SA, "apply", "always");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.result().restarted()).containsExactly("containerd");
        assertThat(run.result().restartFailed()).containsExactly("docker");
        assertThat(run.result().restartPendingRecorded()).containsExactly("docker");
        assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("restart-failed");
        assertThat(h.stamp()).exists();
        assertThat(h.pendingFile()).hasContent("docker");
    }

    @Test
    void openRcEnginesAreProbedAndRestartedWithRcService() throws Exception {
        ScriptHarness rc = new ScriptHarness(tmp.resolve("rc"), ScriptHarness.Shell.DASH).osRelease("alpine", null);
        rc.set("active-docker", "");

        var run = rc.ssh(SA, "apply", "auto");

        assertThat(run.result().restarted()).containsExactly("docker");
        assertThat(rc.calls("rc-service")).contains("rc-service docker status", "rc-service docker restart");
    }

    @Test
    void atBootEnginesAlreadyActiveRestartOnlyWhenTheStoreChangedAndOldRecordsAreDropped() throws Exception {
        var first = h.provision(SA);
        Files.writeString(h.pendingFile(), "docker\n");
        h.clearCalls();
        var unchanged = h.provision(SA);
        var rotated = h.provision(SB);

        assertThat(first.result().restarted()).containsExactly("containerd", "docker");
        assertThat(unchanged.result().unchanged()).isTrue();
        assertThat(unchanged.result().restarted()).isEmpty();
        assertThat(unchanged.result().restartPendingRecorded()).isEmpty();
        assertThat(h.pendingFile()).doesNotExist();
        assertThat(rotated.result().restarted()).containsExactly("containerd", "docker");
        assertThat(restarts()).hasSize(2);
    }
}
