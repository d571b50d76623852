package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the script finds the active engines under systemd: one is-active call per scope, one per unit as fallback. */
class ScriptEnginesTest {
    static final CaCert A = TestCerts.rootCa("CN=Engines Root A").cert();
    static final String SA = VmScript.render(CaBundle.of(List.of(A)));

    @TempDir
    Path tmp;

    ScriptHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).systemd();
        h.set("active-docker", "").set("active-containerd", "");
    }

    List<String> probes() throws Exception {
        return h.calls().stream()
                .filter(c -> c.startsWith("systemctl ") && c.contains(" is-active"))
                .toList();
    }

    @Test
    void observeAsksSystemdOnceForEverySystemEngine() throws Exception {
        var run = h.ssh(SA, "observe");

        assertThat(run.result().engines()).containsExactly("containerd", "docker");
        assertThat(probes()).containsExactly("systemctl is-active containerd docker buildkit k3s");
    }

    @Test
    void anApplyThatRestartsProbesOncePerLook() throws Exception {
        var run = h.ssh(SA, "apply", "always");

        assertThat(run.result().restarted()).containsExactly("containerd", "docker");
        assertThat(probes()).containsExactly("systemctl is-active containerd docker buildkit k3s");
    }

    @Test
    void theUsersUnitsAreOneCallThroughTheirUserManager() throws Exception {
        h.set("active-docker", null).set("active-containerd", null).sudoUser("alice", 1000);
        h.set("user-active-docker", "").set("user-active-buildkit", "");

        var run = h.ssh(SA, "observe");

        assertThat(run.result().engines()).containsExactly("user:docker", "user:buildkit");
        assertThat(probes())
                .containsExactly(
                        "systemctl is-active containerd docker buildkit k3s",
                        "systemctl --user is-active containerd docker buildkit");
        assertThat(h.calls())
                .contains("sudo -n -u alice env XDG_RUNTIME_DIR=" + h.root
                        + "/run/user/1000 systemctl --user is-active containerd docker buildkit");
    }

    @Test
    void reloadingCountsAsActiveAndOtherStatesDoNot() throws Exception {
        h.set("active-containerd", null)
                .set("state-docker", "reloading\n")
                .set("state-k3s", "activating\n")
                .set("state-buildkit", "failed\n");

        var run = h.ssh(SA, "observe");

        assertThat(run.result().engines()).containsExactly("docker");
    }

    @Test
    void anAnswerThatIsNotOneLinePerUnitFallsBackToOneQuietCallPerUnit() throws Exception {
        h.set("is-active-mute", "");

        var run = h.ssh(SA, "observe");

        assertThat(run.result().engines()).isEmpty(); // the stand-in's quiet calls are mute too
        assertThat(probes())
                .containsExactly(
                        "systemctl is-active containerd docker buildkit k3s",
                        "systemctl is-active --quiet containerd",
                        "systemctl is-active --quiet docker",
                        "systemctl is-active --quiet buildkit",
                        "systemctl is-active --quiet k3s");
    }
}
