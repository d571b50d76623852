package dev.vmtrust.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigLoader;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.FakeSshConnector;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.vm.VmLiveness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hung VM is handed back as in flight; the others are reported at once and it finishes later. */
class ReconcileTest {
    @TempDir
    Path tmp;

    @Test
    void aHungVmIsLeftInFlightAndReportedLateWhileTheOthersConvergeNow() throws Exception {
        TestCerts.Issued ca = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), ca.pem());
        Path colima = tmp.resolve("colima");
        Files.createDirectories(colima.resolve("_lima/_config"));
        Path key = Files.writeString(colima.resolve("_lima/_config/user"), "not read by the fake\n");
        for (String id : List.of("colima", "colima-slow")) {
            Path dir = Files.createDirectories(colima.resolve("_lima").resolve(id));
            Files.writeString(dir.resolve("ha.pid"), ProcessHandle.current().pid() + "\n");
            Files.writeString(
                    dir.resolve("ssh.config"),
                    "Host lima-" + id + "\n  IdentityFile \"" + key
                            + "\"\n  User u\n  Hostname 127.0.0.1\n  Port 2222\n");
        }
        Environment env = new Environment(
                Map.of(
                        "HOME",
                        tmp.resolve("home").toString(),
                        "XDG_STATE_HOME",
                        tmp.resolve("state").toString()),
                Os.LINUX);
        Config config = ConfigLoader.parse(tmp.resolve("config.yaml"), """
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {enabled: false}}
                """.formatted(caFile, colima), env);
        String hex = CaBundle.of(List.of(ca.cert())).fingerprint();
        FakeSshConnector ssh = new FakeSshConnector();
        CountDownLatch release = new CountDownLatch(1);
        for (String name : List.of("colima/default", "colima/slow")) {
            ssh.shell(name).otherwise(call -> {
                if (name.equals("colima/slow")) await(release);
                return call.command().endsWith("observe")
                        ? new ExecResult(0, "vmtrust: stamp none\nvmtrust: done none\n", "")
                        : new ExecResult(
                                0,
                                "vmtrust: added " + ca.cert().fp16() + "\nvmtrust: trust-updated\nvmtrust: done " + hex
                                        + "\n",
                                "");
            });
        }
        Reconcile engine = new Reconcile(config, env, new ProcessRunner(), ssh, VmLiveness.system(), Clock.systemUTC());
        CompletableFuture<TargetReport> late = new CompletableFuture<>();

        try (Reconcile rounds = engine) {
            long t0 = System.nanoTime();
            Reconcile.Result r = rounds.run(Reconcile.Request.agentRound(
                    config.restart(), Set.of(), Duration.ofMillis(500), (name, rep) -> late.complete(rep)));
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(ms).as("round time").isLessThan(5_000);
            assertThat(r.inFlight()).containsExactly("colima/slow");
            assertThat(r.report().targets()).extracting(TargetReport::name).containsExactly("colima/default");
            assertThat(r.report().targets().get(0).result())
                    .as(r.report().targets().get(0).error())
                    .isEqualTo(LiveStatus.UPDATED);
            assertThat(late).isNotDone();
            release.countDown();
            TargetReport slow = late.get(5, TimeUnit.SECONDS);
            assertThat(slow.name()).isEqualTo("colima/slow");
            assertThat(slow.result()).isEqualTo(LiveStatus.UPDATED);

            // the next round skips what is still in flight and does not report it
            Reconcile.Result next = rounds.run(Reconcile.Request.agentRound(
                    config.restart(), Set.of("colima/slow"), Duration.ofMillis(500), (n, rep) -> {}));
            assertThat(next.report().targets()).extracting(TargetReport::name).containsExactly("colima/default");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
