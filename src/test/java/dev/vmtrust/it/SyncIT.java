package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vmtrust sync` against real sshd sandbox VMs laid out as Colima profiles (issue: live sync, scenarios 1, 2, 4, 5, 6). */
class SyncIT {
    @TempDir
    Path tmp;

    private HostTrustStore hostBefore;

    @BeforeEach
    void prerequisites() {
        SandboxSupport.assumeSandbox();
        hostBefore = HostTrustStore.snapshot();
    }

    private CliRun cli(ColimaHome colima, Path caFile) {
        return new CliRun(tmp.resolve("run")).config("""
                sources:
                  keychain: {enabled: false}
                  vendorFiles: false
                  host: false
                  files: [%s]
                targets:
                  colima: {home: %s}
                  lima: {home: %s}
                """.formatted(caFile, colima.home(), tmp.resolve("lima")));
    }

    private static SandboxVm vm(Path dir, TestKeys keys) {
        return TlsRegistry.configure(SandboxVm.options(dir, FreePort.pick(), keys.publicKey()))
                .start();
    }

    @Test
    void twoRunningProfilesTrustTheCaAfterSyncAndTheStoppedOneIsSkipped() throws Exception {
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        Path caFile = Files.copy(ca.caPem(), tmp.resolve("corp.pem"));
        try (SandboxVm a = vm(tmp.resolve("vm-a"), keys);
                SandboxVm b = vm(tmp.resolve("vm-b"), keys);
                TlsServer sa = TlsServer.start(a, ca, 8443, tmp.resolve("sa.log"));
                TlsServer sb = TlsServer.start(b, ca, 8443, tmp.resolve("sb.log"))) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys)
                    .running("default", a)
                    .running("work", b)
                    .stopped("old");
            assertThat(sa.curlExit(a)).as("curl before sync").isEqualTo(60);

            CliRun.Result r = cli(colima, caFile).run("sync", "--json");

            assertThat(r.exit()).as(r.err() + r.out()).isZero();
            Map<String, Object> report = r.json();
            assertThat(report.get("cas")).isEqualTo(1L);
            List<Object> targets = Json.asList(report.get("targets"));
            assertThat(targets)
                    .extracting(t -> Json.asObject(t).get("name"))
                    .containsExactly("colima/default", "colima/old", "colima/work");
            assertThat(Json.asObject(targets.get(0)))
                    .containsEntry("state", "running")
                    .containsEntry("result", "updated")
                    .containsEntry("added", 1L)
                    .containsEntry("removed", 0L)
                    .containsEntry("error", null);
            assertThat(Json.asObject(targets.get(1)))
                    .containsEntry("state", "stopped")
                    .containsEntry("result", "skipped");
            assertThat(sa.curlExit(a)).as("curl in colima/default after sync").isZero();
            assertThat(sb.curlExit(b)).as("curl in colima/work after sync").isZero();
            String fp16 = ca16(caFile);
            assertThat(a.exec("cat", "/usr/local/share/ca-certificates/vmtrust-" + fp16 + ".crt")
                            .stdout())
                    .isEqualTo(Files.readString(caFile).replace("\r", ""));
            assertThat(a.exec("cat", "/etc/vmtrust/bundle.sha256").stdout().strip())
                    .isEqualTo(((String) report.get("bundle")).substring("sha256:".length()));

            // idempotence: nothing to write, nothing to restart, files untouched
            String before = a.exec(
                            "stat",
                            "-c",
                            "%Y %i",
                            "/usr/local/share/ca-certificates/vmtrust-" + fp16 + ".crt",
                            "/etc/vmtrust/bundle.sha256")
                    .stdout();
            CliRun.Result again = cli(colima, caFile).run("sync", "--json");
            assertThat(again.exit()).isZero();
            assertThat(Json.asList(again.json().get("targets")))
                    .extracting(t -> Json.asObject(t).get("result"))
                    .containsExactly("unchanged", "skipped", "unchanged");
            assertThat(a.exec(
                                    "stat",
                                    "-c",
                                    "%Y %i",
                                    "/usr/local/share/ca-certificates/vmtrust-" + fp16 + ".crt",
                                    "/etc/vmtrust/bundle.sha256")
                            .stdout())
                    .isEqualTo(before);
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    @Test
    void aRotatedCaReplacesTheOldOneWhichIsNoLongerTrusted() throws Exception {
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa caA = TestCa.create(tmp.resolve("ca-a"));
        TestCa caB = TestCa.create(tmp.resolve("ca-b"));
        Path caFile = Files.copy(caA.caPem(), tmp.resolve("corp.pem"));
        try (SandboxVm vm = vm(tmp.resolve("vm"), keys);
                TlsServer onA = TlsServer.start(vm, caA, 8443, tmp.resolve("a.log"));
                TlsServer onB = TlsServer.start(vm, caB, 9443, tmp.resolve("b.log"))) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            CliRun cli = cli(colima, caFile);
            assertThat(cli.run("sync").exit()).isZero();
            assertThat(onA.curlExit(vm)).isZero();
            String oldFile = "/usr/local/share/ca-certificates/vmtrust-" + ca16(caFile) + ".crt";

            Files.copy(caB.caPem(), caFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            CliRun.Result r = cli.run("sync", "--json");

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(Json.asObject(Json.asList(r.json().get("targets")).get(0)))
                    .containsEntry("result", "updated")
                    .containsEntry("added", 1L)
                    .containsEntry("removed", 1L);
            assertThat(onB.curlExit(vm)).as("new CA trusted").isZero();
            assertThat(onA.curlExit(vm)).as("old CA no longer trusted").isEqualTo(60);
            assertThat(vm.exec("test", "-e", oldFile).exitCode())
                    .as("old file gone")
                    .isNotZero();
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    /**
     * A rotation that keeps the CA's name (as Zscaler's roots do): the VM's /etc/ssl/certs ends exactly as
     * Debian's update-ca-certificates --fresh makes it, so OpenSSL's folder lookup (-CApath, by subject hash) finds
     * the new root and not the old one, though the script made the links itself and the tool had no name change
     * to react to (no rehash of the whole folder).
     */
    @Test
    void aRotationThatKeepsTheNameLeavesTheHashLinksAsTheToolWould() throws Exception {
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        String subject = "/O=vmtrust tests/CN=vmtrust same-name CA " + System.nanoTime();
        TestCa caA = TestCa.withSubject(tmp.resolve("ca-a"), subject);
        TestCa caB = TestCa.withSubject(tmp.resolve("ca-b"), subject);
        Path caFile = Files.copy(caA.caPem(), tmp.resolve("corp.pem"));
        try (SandboxVm vm = vm(tmp.resolve("vm"), keys)) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            CliRun cli = cli(colima, caFile);
            assertThat(cli.run("sync").exit()).isZero();
            assertThat(verify(vm, caA)).as("old server via -CApath before").isZero();
            String afterFirst = certsFolder(vm);
            String publicLinks = publicHashLinkInodes(vm);

            Files.copy(caB.caPem(), caFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            CliRun.Result r = cli.run("sync", "--json");

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(verify(vm, caB)).as("new server via -CApath").isZero();
            assertThat(verify(vm, caA)).as("old server via -CApath").isNotZero();
            String ours = certsFolder(vm);
            assertThat(ours).isNotEqualTo(afterFirst).contains("vmtrust-" + ca16(caFile) + ".pem");
            assertThat(publicHashLinkInodes(vm))
                    .as("the public roots' hash links were not remade: the tool did not rehash the folder")
                    .isEqualTo(publicLinks);
            ExecResult fresh = vm.exec("update-ca-certificates", "--fresh");
            assertThat(fresh.exitCode()).as(fresh.stderr()).isZero();
            assertThat(certsFolder(vm))
                    .as("as update-ca-certificates --fresh makes it")
                    .isEqualTo(ours);
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    /** Inode of every hash link that is not vmtrust's (openssl rehash deletes and remakes them all). */
    private static String publicHashLinkInodes(SandboxVm vm) {
        String out = inCertsFolder(
                vm,
                "for f in *.[0-9]*; do case $(readlink \"$f\") in vmtrust-*) ;; *) stat -c '%n %i' \"$f\" ;; esac; done");
        assertThat(out).as("public roots in the VM").isNotBlank();
        return out;
    }

    /** Runs a shell command in the VM's /etc/ssl/certs; its stdout (it must succeed). */
    private static String inCertsFolder(SandboxVm vm, String command) {
        ExecResult r = vm.exec("sh", "-c", "cd /etc/ssl/certs && " + command);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    /** openssl verify of CA's server certificate against the VM's folder of hash links only (no bundle). */
    private static int verify(SandboxVm vm, TestCa ca) {
        return vm.execWithInput(ca.serverCert(), "openssl", "verify", "-CApath", "/etc/ssl/certs", "/dev/stdin")
                .exitCode();
    }

    /**
     * /etc/ssl/certs as name -> link target, with each hash chain as its set of targets (openssl rehash numbers a
     * chain in its own order), plus the bundle's digest.
     */
    private static String certsFolder(SandboxVm vm) {
        String listing = inCertsFolder(
                vm,
                "for f in *; do if [ -L \"$f\" ]; then printf '%s %s\\n' \"$f\" \"$(readlink \"$f\")\"; fi; done;"
                        + " sha256sum ca-certificates.crt");
        Map<String, Set<String>> chains = new TreeMap<>();
        StringBuilder rest = new StringBuilder();
        for (String line : listing.lines().toList()) {
            String name = line.split(" ", 2)[0];
            if (name.matches("[0-9a-f]{8}\\.[0-9]+"))
                chains.computeIfAbsent(name.substring(0, 8), k -> new TreeSet<>())
                        .add(line.split(" ", 2)[1]);
            else rest.append(line).append('\n');
        }
        return rest + chains.toString();
    }

    @Test
    void anUnreachableVmFailsAloneAndQuicklyWhileTheOtherConverges() throws Exception {
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        Path caFile = Files.copy(ca.caPem(), tmp.resolve("corp.pem"));
        try (SandboxVm vm = vm(tmp.resolve("vm"), keys)) {
            int closedPort = FreePort.pick();
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys)
                    .running("default", vm)
                    .running("dead", closedPort, ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            CliRun.Result r = cli(colima, caFile).run("sync", "--json");
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.exit()).isEqualTo(3);
            List<Object> targets = Json.asList(r.json().get("targets"));
            assertThat(Json.asObject(targets.get(0)))
                    .containsEntry("name", "colima/dead")
                    .containsEntry("state", "unreachable")
                    .containsEntry("result", "failed")
                    .containsEntry(
                            "error",
                            "colima/dead: cannot reach the VM over SSH (127.0.0.1:" + closedPort
                                    + "): connection refused; is it running? try: colima start dead");
            assertThat(Json.asObject(targets.get(1)))
                    .containsEntry("name", "colima/default")
                    .containsEntry("result", "updated");
            assertThat(ms).as("sync time with one dead VM").isLessThan(30_000);
            CliRun.Result text = cli(colima, caFile).run("status");
            assertThat(text.out()).contains("colima/dead     failed: colima/dead: cannot reach the VM over SSH");
        }
    }

    @Test
    void uninstallPurgeRemovesOnlyVmtrustsEntriesAndCaFiles() throws Exception {
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        Path caFile = Files.copy(ca.caPem(), tmp.resolve("corp.pem"));
        try (SandboxVm vm = vm(tmp.resolve("vm"), keys);
                TlsServer server = TlsServer.start(vm, ca, 8443, tmp.resolve("s.log"))) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys)
                    .running("default", vm)
                    .stopped("old");
            vm.exec("sh", "-c", "echo keep > /usr/local/share/ca-certificates/other.crt");
            CliRun cli = cli(colima, caFile)
                    .runner(new dev.vmtrust.testing.FakeCommandRunner().fallback(3, "inactive\n", ""));
            assertThat(cli.run("sync").exit()).isZero();
            assertThat(Files.readString(colima.profileYaml("old"))).contains("# vmtrust: managed entry");

            CliRun.Result r = cli.run("uninstall", "--purge");

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out())
                    .contains("colima/default  1 CA file removed; provision entry removed")
                    .contains("colima/old      stopped: nothing to remove in the VM; provision entry removed");
            assertThat(Files.readString(colima.profileYaml("old"))).isEqualTo(ColimaHome.COLIMA_YAML);
            assertThat(Files.readString(colima.profileYaml("default"))).isEqualTo(ColimaHome.COLIMA_YAML);
            assertThat(vm.exec("sh", "-c", "ls /usr/local/share/ca-certificates/")
                            .stdout())
                    .doesNotContain("vmtrust-")
                    .contains("other.crt");
            assertThat(vm.exec("test", "-e", "/etc/vmtrust/bundle.sha256").exitCode())
                    .isNotZero();
            assertThat(server.curlExit(vm)).as("the CA is no longer trusted").isEqualTo(60);
        }
    }

    private static String ca16(Path pem) throws Exception {
        return dev.vmtrust.trust.CaCert.fromDer(java.util.Base64.getMimeDecoder()
                        .decode(Files.readString(pem).replaceAll("-----[A-Z ]+-----", "")))
                .fp16();
    }
}
