package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same behaviour under dash, busybox sh (no flock: the link lock) and bash; flock (link lock: ScriptLockTest). */
class ScriptShellTest {
    static final CaCert A = TestCerts.rootCa("CN=Shell Root A").cert();
    static final CaCert B = TestCerts.rootCa("CN=Shell Root B").cert();
    static final String SA = VmScript.render(CaBundle.of(List.of(A)));
    static final String SAB = VmScript.render(CaBundle.of(List.of(A, B)));
    static final String SB = VmScript.render(CaBundle.of(List.of(B)));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(ScriptHarness.Shell.class)
    void installRepeatRotateObserveAndRemoveBehaveAlikeInEveryShell(ScriptHarness.Shell shell) throws Exception {
        dev.vmtrust.testing.Require.condition(shell.installed(), shell + " is not installed");
        ScriptHarness h = new ScriptHarness(tmp, shell).systemd();
        h.set("active-docker", "").set("docker-ps", "c1\n");

        var fresh = h.provision(SAB);
        var again = h.ssh(SAB, "apply", "auto");
        var rotated = h.ssh(SB, "apply", "auto");
        var observed = h.ssh(SB, "observe");
        var removed = h.ssh(SB, "remove");

        assertThat(fresh.result().ok()).as(fresh.stdout() + fresh.stderr()).isTrue();
        assertThat(fresh.result().added()).containsExactlyInAnyOrder(A.fp16(), B.fp16());
        assertThat(fresh.result().pending()).containsExactly("docker");
        assertThat(again.result().unchanged()).isTrue();
        assertThat(again.result().pending()).containsExactly("docker");
        assertThat(rotated.result().removed()).containsExactly(A.fp16());
        assertThat(rotated.result().restartPendingRecorded()).containsExactly("docker");
        assertThat(observed.result().files()).containsExactly(B.fp16());
        assertThat(observed.result().stamp()).contains(CaBundle.of(List.of(B)).fingerprint());
        assertThat(removed.result().removed()).containsExactly(B.fp16());
        assertThat(h.root.resolve("etc/vmtrust")).doesNotExist();
        assertThat(h.calls("update-ca-certificates")).hasSize(3);
        assertThat(fresh.stderr() + again.stderr() + rotated.stderr()).doesNotContain("not found");
    }

    @Test
    void aHeldFlockMakesTheRunFailWithLockTimeout() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH);
        h.env.put("VMTRUST_LOCK_WAIT", "1");
        Path lock = Files.createDirectories(h.root.resolve("etc/vmtrust")).resolve("lock");
        Process holder = new ProcessBuilder("/usr/bin/flock", lock.toString(), "/usr/bin/sleep", "30").start();
        try {
            waitUntilLocked(lock);
            var run = h.ssh(SA, "apply", "auto");

            assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("lock-timeout");
            assertThat(h.certDir()).doesNotExist();
        } finally {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aScriptCutShortInTransitRunsNothing() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH);
        int end = SAB.lastIndexOf("main \"$#\"");
        for (int cut : new int[] {SAB.length() / 4, SAB.length() / 2, end - 1, end + 4, end + 9, SAB.length() - 8}) {
            var run = h.ssh(SAB.substring(0, cut), "apply", "always");

            assertThat(run.result().error()).as("cut at %d", cut).isPresent();
            assertThat(run.stdout())
                    .as("cut at %d", cut)
                    .isIn("", "vmtrust: error usage incomplete script (cut short in transit?)\n");
            assertThat(h.root.resolve("etc/vmtrust")).doesNotExist();
            assertThat(h.certDir()).doesNotExist();
        }
        assertThat(h.calls()).isEmpty();
    }

    @Test
    void theRenderedScriptPassesShellcheckWhereInstalled() throws Exception {
        dev.vmtrust.testing.Require.tool("the shellcheck pass", "/usr/bin/shellcheck");
        Path f = tmp.resolve("vmtrust.sh");
        Files.writeString(f, SAB);
        Process p = new ProcessBuilder("/usr/bin/shellcheck", "-s", "sh", f.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(out).isZero();
    }

    private static void waitUntilLocked(Path lock) throws Exception {
        for (int i = 0; i < 100; i++) {
            Process probe = new ProcessBuilder("/usr/bin/flock", "-n", lock.toString(), "/usr/bin/true").start();
            if (probe.waitFor() != 0) return;
            Thread.sleep(50);
        }
        throw new AssertionError("the lock holder never took the lock");
    }
}
