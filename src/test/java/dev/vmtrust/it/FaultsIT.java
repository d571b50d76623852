package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults on sandbox VMs (issue items 7-10): each fails cleanly, and the system converges once it is gone. */
class FaultsIT {
    private static final String CA_DIR = "/usr/local/share/ca-certificates";
    private static final String BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    @TempDir
    Path tmp;

    private TestKeys keys;
    private final TestCerts.Issued caA = TestCerts.rootCa("CN=Corp Root A,O=Corp");
    private final TestCerts.Issued caB = TestCerts.rootCa("CN=Corp Root B,O=Corp");

    @BeforeEach
    void prerequisites() {
        SandboxSupport.assumeSandbox();
        keys = TestKeys.generate(tmp.resolve("keys"));
    }

    private CliRun cli(ColimaHome colima, Path caFile, String extra) {
        return new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                %s
                """.formatted(caFile, colima.home(), tmp.resolve("lima"), extra));
    }

    private SandboxVm vm(Path dir) {
        return SandboxVm.options(dir, FreePort.pick(), keys.publicKey()).start();
    }

    private static String stamp(SandboxVm vm) {
        return vm.exec("sh", "-c", "cat /etc/vmtrust/bundle.sha256 2>/dev/null || echo absent")
                .stdout()
                .strip();
    }

    private static String fingerprint(TestCerts.Issued ca) {
        return CaBundle.of(List.of(ca.cert())).fingerprint();
    }

    /** 0 when the VM's generated trust store verifies a leaf issued by {@code ca}. */
    private int verifies(SandboxVm vm, TestCerts.Issued ca) throws Exception {
        Path leaf = Files.writeString(
                tmp.resolve("leaf-" + ca.cert().fp16() + ".pem"),
                TestCerts.leaf("CN=registry.test", ca, "registry.test").pem());
        return vm.execWithInput(leaf, "openssl", "verify", "-CAfile", BUNDLE).exitCode();
    }

    @Test
    void aVmKilledDuringTheApplyNeverHasAStampItsFilesDoNotMatchAndConvergesOnTheNextSync() throws Exception {
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), caA.pem());
        Path vmDir = tmp.resolve("vm");
        ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys);
        CliRun.Result killed;
        try (SandboxVm vm = vm(vmDir)) {
            colima.running("default", vm);
            assertThat(cli(colima, caFile, "").run("sync").exit()).isZero();
            assertThat(stamp(vm)).isEqualTo(fingerprint(caA));
            TrustToolWrapper tool = TrustToolWrapper.install(vm);
            tool.hold();
            Files.writeString(caFile, caB.pem());
            CompletableFuture<CliRun.Result> sync =
                    CompletableFuture.supplyAsync(() -> cli(colima, caFile, "").run("sync", "--json"));
            tool.awaitReached(20_000);
            vm.stop();
            tool.release();
            killed = sync.get(30, TimeUnit.SECONDS);
        }
        assertThat(killed.exit()).as(killed.out() + killed.err()).isEqualTo(3);
        assertThat(Json.asObject(Json.asList(killed.json().get("targets")).get(0)))
                .containsEntry("result", "failed");

        try (SandboxVm vm = vm(vmDir)) {
            colima.running("default", vm);
            String seen = stamp(vm);
            assertThat(seen).as("the stamp after the crash").isIn("absent", fingerprint(caA));
            if (!seen.equals("absent")) {
                assertThat(vm.exec(
                                        "test",
                                        "-f",
                                        CA_DIR + "/vmtrust-" + caA.cert().fp16() + ".crt")
                                .exitCode())
                        .isZero();
            }

            CliRun.Result r = cli(colima, caFile, "").run("sync", "--json");

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(stamp(vm)).isEqualTo(fingerprint(caB));
            assertThat(vm.exec("sh", "-c", "ls " + CA_DIR + " | grep vmtrust").stdout())
                    .isEqualTo("vmtrust-" + caB.cert().fp16() + ".crt\n");
            assertThat(verifies(vm, caB)).as("new CA trusted").isZero();
            assertThat(verifies(vm, caA)).as("old CA gone").isNotZero();
        }
    }

    @Test
    void blackHoleSshPortsFailWithinTheConnectTimeoutWhileASlowVmConvergesInParallel() throws Exception {
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), caA.pem());
        List<ServerSocket> holes = new ArrayList<>();
        try (SandboxVm vm = vm(tmp.resolve("vm"))) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            for (String p : List.of("hole1", "hole2", "hole3")) {
                ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // accepts, never speaks
                holes.add(s);
                colima.running(p, s.getLocalPort(), ProcessHandle.current().pid());
            }
            TrustToolWrapper.install(vm).delay(2);
            CliRun cli = cli(colima, caFile, "ssh: {connectTimeout: 2s}");

            long t0 = System.nanoTime();
            CliRun.Result r = cli.run("sync", "--json");
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.exit()).isEqualTo(3);
            List<Object> targets = Json.asList(r.json().get("targets"));
            assertThat(Json.asObject(targets.get(0)))
                    .containsEntry("name", "colima/default")
                    .containsEntry("result", "updated");
            for (int i = 1; i <= 3; i++) {
                assertThat(Json.asObject(targets.get(i)))
                        .containsEntry("state", "unreachable")
                        .containsEntry(
                                "error",
                                "colima/hole" + i + ": cannot reach the VM over SSH (127.0.0.1:"
                                        + holes.get(i - 1).getLocalPort()
                                        + "): no answer within 2s; the VM may be hung; try: colima restart hole" + i);
            }
            // one after the other this would take 3 x 2 s + over 2 s for the VM's trust update
            assertThat(ms).as("sync time").isBetween(2_000L, 5_500L);
        } finally {
            for (ServerSocket s : holes) s.close();
        }
    }

    @Test
    void sudoAskingForAPasswordIsAClearErrorWithoutAPrompt() throws Exception {
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), caA.pem());
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .sudoNeedsPassword(true)
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);

            CliRun.Result r = cli(colima, caFile, "").run("sync");

            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.out())
                    .contains("  colima/default  failed: colima/default: sudo in the VM asks for a password;"
                            + " vmtrust needs passwordless sudo (Lima and Colima set it up by default); provision entry updated\n"
                            + "                  next: allow passwordless sudo for the VM user, or recreate the VM with"
                            + " colima start default\n");
            assertThat(stamp(vm)).isEqualTo("absent");
        }
    }

    @Test
    void aFullCaFolderFailsTheApplyKeepsThePreviousTrustStoreAndConvergesOnceThereIsRoom() throws Exception {
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), caA.pem());
        try (SandboxVm vm = vm(tmp.resolve("vm"))) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            assertThat(cli(colima, caFile, "").run("sync").exit()).isZero();
            ExecResult full = vm.exec(
                    "sh",
                    "-c",
                    "mkdir /tmp/keep && cp -a " + CA_DIR + "/. /tmp/keep/"
                            + " && mount -t tmpfs -o size=64k tmpfs " + CA_DIR + " && cp -a /tmp/keep/. " + CA_DIR + "/"
                            + " && { dd if=/dev/zero of=" + CA_DIR + "/filler bs=1k count=1024 2>/dev/null; true; }");
            assertThat(full.exitCode()).as(full.output()).isZero();
            Files.writeString(caFile, caB.pem());

            CliRun.Result r = cli(colima, caFile, "").run("sync", "--json");

            assertThat(r.exit()).isEqualTo(3);
            var target = Json.asObject(Json.asList(r.json().get("targets")).get(0));
            assertThat(target).containsEntry("result", "failed");
            // the shell's own words (dash: "/bin/sh: LINE: printf: printf: I/O error"), not a guess
            assertThat((String) target.get("error"))
                    .startsWith("colima/default: cannot write " + CA_DIR + "/vmtrust-"
                            + caB.cert().fp16() + ".tmp (/bin/sh: ")
                    .endsWith("I/O error); the previous certificates are unchanged");
            assertThat(stamp(vm)).isEqualTo(fingerprint(caA));
            assertThat(vm.exec("sh", "-c", "ls " + CA_DIR + " | grep vmtrust").stdout())
                    .isEqualTo("vmtrust-" + caA.cert().fp16() + ".crt\n");
            assertThat(verifies(vm, caA))
                    .as("the previous trust store still works")
                    .isZero();

            assertThat(vm.exec("rm", CA_DIR + "/filler").exitCode()).isZero();
            CliRun.Result healed = cli(colima, caFile, "").run("sync", "--json");
            assertThat(healed.exit()).as(healed.out()).isZero();
            assertThat(Json.asObject(Json.asList(healed.json().get("targets")).get(0)))
                    .containsEntry("result", "updated")
                    .containsEntry("added", 1L)
                    .containsEntry("removed", 1L);
            assertThat(verifies(vm, caB)).isZero();
            assertThat(verifies(vm, caA)).isNotZero();
        }
    }

    /** Issue 12 finding 9: no systemd, no OpenRC, no /etc/init.d/docker; a dockerd started by hand. */
    @Test
    void aDockerdThatNoKnownInitManagesIsReportedAsPendingWithTheStepForTheUser() throws Exception {
        Path caFile = Files.writeString(tmp.resolve("a.pem"), caA.pem());
        try (SandboxVm vm = vm(tmp.resolve("vm"))) {
            // a process named dockerd (a copy of sleep), in a VM without /run/systemd/system and without a SysV
            // script (the VM's /etc is its own overlay: a host with docker.io installed has /etc/init.d/docker)
            ExecResult setup = vm.exec(
                    "sh",
                    "-c",
                    "rmdir /run/systemd/system && rm -f /etc/init.d/docker"
                            + " && cp /bin/sleep /tmp/dockerd"
                            + " && { setsid /tmp/dockerd 600 </dev/null >/dev/null 2>&1 & }");
            assertThat(setup.exitCode()).as(setup.output()).isZero();
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);

            CliRun.Result r = cli(colima, caFile, "").run("sync");

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out())
                    .contains("colima/default  +1 -0, restart pending: docker (0 containers running);"
                            + " provision entry updated\n"
                            + "                  next: dockerd runs outside any init vmtrust knows: restart it yourself"
                            + " (e.g. colima restart default)\n");
            assertThat(stamp(vm)).isEqualTo(fingerprint(caA));
            assertThat(vm.exec("test", "-e", "/etc/vmtrust/restart-pending").exitCode())
                    .as("nothing recorded")
                    .isNotZero();
        }
    }
}
