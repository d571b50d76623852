package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock where there is no flock (busybox): lock.held, taken by a hard link, broken only when stale. */
class ScriptLockTest {
    private static final String SA = ScriptShellTest.SA, SB = ScriptShellTest.SB;

    @TempDir
    Path tmp;

    @Test
    void withoutFlockTheLinkLockIsTakenAndReleased() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).withoutFlock();

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.result().ok()).as(run.stdout() + run.stderr()).isTrue();
        try (var left = Files.list(h.root.resolve("etc/vmtrust"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("bundle.sha256");
        }
    }

    @Test
    void aLinkLockOfALiveProcessMakesTheRunFailWithLockTimeout() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).withoutFlock();
        h.env.put("VMTRUST_LOCK_WAIT", "1");
        Path held = Files.createDirectories(h.root.resolve("etc/vmtrust")).resolve("lock.held");
        Files.writeString(held, ProcessHandle.current().pid() + " \n");

        var run = h.ssh(SA, "apply", "auto");

        assertThat(run.result().error())
                .contains(new ScriptError("lock-timeout", "another vmtrust run holds " + held + " (waited 1 s)"));
        assertThat(held).hasContent(ProcessHandle.current().pid() + " ");
        assertThat(h.certDir()).doesNotExist();
    }

    @Test
    void aLinkLockOfADeadProcessOrAnEarlierBootIsTakenOver() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).withoutFlock();
        Path held = Files.createDirectories(h.root.resolve("etc/vmtrust")).resolve("lock.held");
        Files.writeString(held, deadPid() + " \n");
        var dead = h.ssh(SA, "apply", "auto");
        Files.writeString(held, ProcessHandle.current().pid() + " some-earlier-boot\n");
        var rebooted = h.ssh(SB, "apply", "auto");

        assertThat(dead.result().ok()).as(dead.stdout() + dead.stderr()).isTrue();
        assertThat(rebooted.result().ok())
                .as(rebooted.stdout() + rebooted.stderr())
                .isTrue();
        assertThat(held).doesNotExist();
    }

    @Test
    void aLockThatCannotBeCreatedFailsAtOnceWithTheReasonInsteadOfWaiting() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).withoutFlock();
        h.env.put("VMTRUST_LOCK_WAIT", "30");
        Path held = Files.createDirectories(h.root.resolve("etc/vmtrust")).resolve("lock.held");
        Files.createSymbolicLink(held, tmp.resolve("nowhere"));

        long t0 = System.nanoTime();
        var run = h.ssh(SA, "apply", "auto");

        ScriptError err = run.result().error().orElseThrow();
        assertThat(err.code()).isEqualTo("write-failed");
        assertThat(err.message()).startsWith("cannot create " + held + ": ").contains("File exists");
        assertThat(System.nanoTime() - t0).as("no waiting").isLessThan(10_000_000_000L);
    }

    /** The old mkdir fallback let two runs that both saw the stale owner both take the lock. */
    @Test
    void runsThatFindTheSameStaleLockTogetherTakeItOneAtATime() throws Exception {
        for (ScriptHarness.Shell shell : List.of(ScriptHarness.Shell.DASH, ScriptHarness.Shell.BUSYBOX)) {
            if (!shell.installed()) continue;
            Path dir = Files.createDirectories(tmp.resolve(shell.name()));
            ScriptHarness h = new ScriptHarness(dir, shell).withoutFlock().set("trust-slow", "");
            h.env.put("VMTRUST_LOCK_WAIT", "20");
            Path held = Files.createDirectories(h.root.resolve("etc/vmtrust")).resolve("lock.held");
            Files.writeString(held, deadPid() + " \n");
            List<CompletableFuture<ScriptHarness.Run>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // each run its own set, so that each changes the store and runs the (slow) trust update
                String script = VmScript.render(
                        CaBundle.of(List.of(TestCerts.rootCa("CN=Lock " + i).cert())));
                ScriptHarness mine = h.copyFor(dir.resolve("out" + i));
                runs.add(CompletableFuture.supplyAsync(() -> mine.sshUnchecked(script, "apply", "never")));
            }
            for (var r : runs) {
                ScriptHarness.Run run = r.get(60, TimeUnit.SECONDS);
                assertThat(run.result().ok())
                        .as(shell + ": " + run.stdout() + run.stderr())
                        .isTrue();
            }
            List<String> order = Files.readAllLines(h.cfg.resolve("trust-order"));
            assertThat(order).as(shell.name()).hasSize(12);
            for (int i = 0; i < order.size(); i += 2) {
                assertThat(order.get(i)).as(shell + " " + order).startsWith("begin ");
                assertThat(order.get(i + 1))
                        .as(shell + " " + order)
                        .isEqualTo("end " + order.get(i).substring(6));
            }
        }
    }

    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("/usr/bin/true").start();
        gone.waitFor();
        return gone.pid();
    }
}
