package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engines in a VM without systemd or OpenRC: dockerd started by its SysV script, or by hand. */
class ScriptNoInitTest {
    private static final String SA = ScriptRestartTest.SA;

    @TempDir
    Path tmp;

    ScriptHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).without("rc-service");
        Path proc = Files.createDirectories(h.root.resolve("proc/4242"));
        Files.writeString(proc.resolve("comm"), "dockerd\n");
        Files.createDirectories(h.root.resolve("proc/1"));
        Files.writeString(h.root.resolve("proc/1/comm"), "init\n");
    }

    @Test
    void aDockerdStartedByItsSysVScriptIsRestartedWithService() throws Exception {
        Files.createDirectories(h.root.resolve("etc/init.d"));
        Files.writeString(h.root.resolve("etc/init.d/docker"), "#!/bin/sh\n");

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.result().ok()).as(run.stdout() + run.stderr()).isTrue();
        assertThat(run.result().engines()).containsExactly("docker");
        assertThat(run.result().restarted()).containsExactly("docker");
        assertThat(h.calls("service")).containsExactly("service docker restart");
    }

    @Test
    void aDockerdStartedByHandIsReportedAsManualAndNothingIsRecorded() throws Exception {
        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.result().ok()).as(run.stdout() + run.stderr()).isTrue();
        assertThat(run.stdout()).contains("vmtrust: engines docker\n", "vmtrust: manual docker\n");
        assertThat(run.result().manual()).containsExactly("docker");
        assertThat(run.result().restarted()).isEmpty();
        assertThat(h.calls("service")).isEmpty();
        assertThat(h.pendingFile()).doesNotExist();
    }

    @Test
    void aDockerdStartedByHandIsManualEvenWhenContainersCannotBeCounted() throws Exception {
        h.set("docker-fail", "");

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.stdout()).contains("vmtrust: manual docker\n").doesNotContain("vmtrust: pending");
        assertThat(h.pendingFile()).doesNotExist();
    }

    @Test
    void noDaemonRunningMeansNoEngine() throws Exception {
        Files.delete(h.root.resolve("proc/4242/comm"));

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.stdout()).contains("vmtrust: engines none\n");
        assertThat(run.result().manual()).isEmpty();
    }
}
