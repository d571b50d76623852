package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.vm.script.ScriptOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `vmtrust doctor` against real sshd sandbox VMs laid out as Colima profiles. Probe URLs are
 * https://localhost:PORT/ (server certificates carry DNS:localhost): inside a VM they reach a {@link HeadServer}
 * in its network namespace; on the host they reach only the host's loopback, where nothing listens (a warning),
 * so no probe ever leaves the machine and no name is looked up in DNS.
 */
class DoctorIT {
    @TempDir
    Path tmp;

    private HostTrustStore hostBefore;

    @BeforeEach
    void prerequisites() {
        SandboxSupport.assumeSandbox();
        hostBefore = HostTrustStore.snapshot();
    }

    private CliRun cli(ColimaHome colima, Path caFile, String... probes) {
        String list = java.util.Arrays.stream(probes).map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
        return new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s]}
                targets: {colima: {home: %s}, lima: {home: %s}}
                ssh: {connectTimeout: 5s}
                doctor: {probes: [%s]}
                """.formatted(caFile, colima.home(), tmp.resolve("lima"), list));
    }

    /** The checks of one target as {id: check}. */
    private static Map<String, Map<String, Object>> target(CliRun.Result r, String name) {
        return Json.asList(r.json().get("checks")).stream()
                .map(Json::asObject)
                .filter(c -> name.equals(c.get("target")))
                .collect(Collectors.toMap(
                        c -> c.get("id") + (c.get("id").equals("probe-vm") ? " " + c.get("message") : ""),
                        c -> c,
                        (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    private static Map<String, Object> check(Map<String, Map<String, Object>> checks, String idPrefix) {
        return checks.entrySet().stream()
                .filter(e -> e.getKey().startsWith(idPrefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + idPrefix + " in " + checks.keySet()))
                .getValue();
    }

    @Test
    void beforeSyncTheStampFailsAfterSyncItPassesAndStoppedAndUnreachableVmsAreReported() throws Exception {
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa inSet = TestCa.create(tmp.resolve("ca-in"), TlsRegistry.HOST, "localhost");
        TestCa notInSet = TestCa.create(tmp.resolve("ca-out"), TlsRegistry.HOST, "localhost");
        Path caFile = Files.copy(inSet.caPem(), tmp.resolve("corp.pem"));
        int portIn = FreePort.pick();
        int portOut = FreePort.pick();
        String urlIn = "https://localhost:" + portIn + "/";
        String urlOut = "https://localhost:" + portOut + "/";
        try (SandboxVm vm = TlsRegistry.configure(
                                SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey()))
                        .start();
                HeadServer in = HeadServer.start(vm, inSet, portIn, tmp.resolve("in"));
                HeadServer out = HeadServer.start(vm, notInSet, portOut, tmp.resolve("out"))) {
            int closedPort = FreePort.pick();
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys)
                    .running("default", vm)
                    .stopped("old")
                    .running("dead", closedPort, ProcessHandle.current().pid());
            CliRun cli = cli(colima, caFile, urlIn, urlOut);

            long t0 = System.nanoTime();
            CliRun.Result before = cli.run("doctor", "--json");
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(before.exit()).as(before.out() + before.err()).isEqualTo(3);
            Map<String, Map<String, Object>> d = target(before, "colima/default");
            assertThat(d.keySet())
                    .containsExactly(
                            "target-state",
                            "ssh-config",
                            "ssh-key",
                            "ssh",
                            "sudo",
                            "trust-tool",
                            "stamp",
                            "restart-pending",
                            "persisted",
                            "probe-vm " + urlIn + ": the VM does not trust the certificate chain "
                                    + "(curl: (60) SSL certificate problem: unable to get local issuer certificate)",
                            "probe-vm " + urlOut + ": the VM does not trust the certificate chain "
                                    + "(curl: (60) SSL certificate problem: unable to get local issuer certificate)");
            assertThat(check(d, "ssh")).containsEntry("status", "ok");
            assertThat(check(d, "sudo"))
                    .containsEntry("status", "ok")
                    .containsEntry("message", "passwordless sudo works");
            assertThat(check(d, "trust-tool")).containsEntry("status", "ok");
            assertThat(check(d, "stamp")).containsEntry("status", "fail").containsEntry("hint", "vmtrust sync");
            assertThat((String) check(d, "stamp").get("message"))
                    .startsWith("the VM's trust store differs from the CA set: stamp none, want sha256:")
                    .endsWith("; 1 to add, 0 to remove");
            assertThat(check(d, "persisted")).containsEntry("status", "fail").containsEntry("hint", "vmtrust sync");
            assertThat(check(d, "probe-vm " + urlIn))
                    .containsEntry("status", "fail")
                    .containsEntry("hint", "vmtrust sync");
            assertThat(target(before, "colima/old").get("target-state"))
                    .containsEntry("status", "ok")
                    .containsEntry("message", "stopped; checked when it runs");
            assertThat(target(before, "colima/dead").get("ssh"))
                    .containsEntry("status", "fail")
                    .containsEntry(
                            "message",
                            "cannot reach the VM over SSH (127.0.0.1:" + closedPort
                                    + "): connection refused; is it running?")
                    .containsEntry("hint", "colima start dead");
            List<Map<String, Object>> host = Json.asList(before.json().get("checks")).stream()
                    .map(Json::asObject)
                    .filter(c -> c.get("id").equals("probe-host"))
                    .toList();
            assertThat(host).extracting(c -> c.get("status")).containsExactly("warn", "warn");
            assertThat(ms).as("doctor time").isLessThan(60_000);

            assertThat(cli.run("sync").exit())
                    .as("sync: only colima/dead fails")
                    .isEqualTo(3);
            CliRun.Result after = cli.run("doctor");

            String vmLines = after.out()
                    .lines()
                    .filter(l -> l.contains("colima/default"))
                    .collect(Collectors.joining("\n"));
            String set = vmLines.replaceAll("(?s).*stamp: the VM trusts the CA set (sha256:[0-9a-f]{64}).*", "$1");
            Path instance = colima.instanceDir("default");
            assertThat(vmLines)
                    .isEqualTo(""
                            + "ok    colima/default      target-state: running\n"
                            + "ok    colima/default      ssh-config: " + instance.resolve("ssh.config")
                            + ": limauser@127.0.0.1:" + vm.port() + "\n"
                            + "ok    colima/default      ssh-key: " + colima.key() + " is readable\n"
                            + "ok    colima/default      ssh: reachable as limauser@127.0.0.1:" + vm.port() + "\n"
                            + "ok    colima/default      sudo: passwordless sudo works\n"
                            + "ok    colima/default      trust-tool: distro debian, update-ca-certificates found\n"
                            + "ok    colima/default      stamp: the VM trusts the CA set " + set + "\n"
                            + "ok    colima/default      restart-pending: no engine restart pending\n"
                            + "ok    colima/default      persisted: the provision entry in "
                            + colima.profileYaml("default") + " is current\n"
                            + "ok    colima/default      probe-vm: " + urlIn + ": trusted inside the VM\n"
                            + "fail  colima/default      probe-vm: " + urlOut
                            + ": the VM does not trust the certificate chain "
                            + "(curl: (60) SSL certificate problem: unable to get local issuer certificate)");
            assertThat(after.out())
                    .contains("fail  colima/dead         ssh: cannot reach the VM over SSH (127.0.0.1:" + closedPort
                            + "): connection refused; is it running?\n      next: colima start dead\n");
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    @Test
    void aVmWhoseSudoAsksForAPasswordFailsSudoWithTheNextStep() throws Exception {
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        Path caFile = Files.copy(ca.caPem(), tmp.resolve("corp.pem"));
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .sudoNeedsPassword(true)
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);

            CliRun.Result r = cli(colima, caFile, "https://localhost:" + FreePort.pick() + "/")
                    .run("doctor", "--json");

            assertThat(r.exit()).isEqualTo(3);
            Map<String, Map<String, Object>> d = target(r, "colima/default");
            assertThat(d.get("sudo"))
                    .containsEntry("status", "fail")
                    .containsEntry("message", ScriptOutput.SUDO_PASSWORD_MESSAGE)
                    .containsEntry(
                            "hint",
                            "allow passwordless sudo for the VM user, or recreate the VM with colima start default");
            assertThat(d).doesNotContainKey("stamp");
            assertThat(check(d, "probe-vm")).containsEntry("status", "warn");
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    /**
     * An HTTPS server in a VM's network namespace (socat, TLS with {@link TestCa#serverCert()}, on
     * TlsRegistry.ADDRESS:PORT) that answers every request, HEAD included, with an empty 200. Used instead of
     * {@link TlsServer}, whose {@code openssl s_server -www} answers only GET and leaves curl -I hanging.
     */
    static final class HeadServer implements AutoCloseable {
        private final Process process;

        private HeadServer(Process process) {
            this.process = process;
        }

        static HeadServer start(SandboxVm vm, TestCa ca, int port, Path dir) throws Exception {
            TlsRegistry.checkVm(vm);
            Files.createDirectories(dir);
            Path answer = Files.writeString(
                    dir.resolve("answer.sh"),
                    "while IFS= read -r l; do l=$(printf %s \"$l\" | tr -d '\\r');"
                            + " [ -z \"$l\" ] && break; done; printf 'HTTP/1.0 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n'\n");
            String a = TlsRegistry.ADDRESS;
            String listen = "OPENSSL-LISTEN:" + port + (a.contains(":") ? ",pf=ip6,bind=[" + a + "]" : ",bind=" + a)
                    + ",reuseaddr,fork,verify=0,cert=" + ca.serverCert() + ",key=" + ca.serverKey();
            Path log = dir.resolve("socat.log");
            Process p = vm.spawnNs(log, "socat", listen, "SYSTEM:sh " + answer);
            HeadServer s = new HeadServer(p);
            try {
                TlsRegistry.awaitListening(vm, p, port, log);
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            return s;
        }

        @Override
        public void close() {
            SandboxVm.kill(process);
        }
    }
}
