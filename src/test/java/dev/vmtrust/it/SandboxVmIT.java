package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end self-test of the sandbox VM harness, with the ssh client binary (no product code involved). */
class SandboxVmIT {
    @TempDir
    static Path tmp;

    static TestKeys keys;
    static String hostTrustBefore;

    @BeforeAll
    static void setUp() throws IOException {
        SandboxSupport.assumeSandbox();
        keys = TestKeys.generate(tmp.resolve("keys"));
        hostTrustBefore = hostTrust();
    }

    @AfterAll
    static void hostTrustStoreIsUntouched() throws IOException {
        if (hostTrustBefore != null) {
            assertThat(hostTrust()).isEqualTo(hostTrustBefore);
        }
    }

    @Test
    void sshLoginSudoAndServiceStandIn() throws IOException {
        SandboxVm vm = SandboxVm.start(tmp.resolve("vm-basic"), FreePort.pick(), keys.publicKey(), true, false);
        try {
            ExecResult r = SshCli.ssh(keys, vm.port(), "id -un; hostname; sudo -n true && echo SUDO-OK");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("limauser\nfakevm\nSUDO-OK\n");

            assertThat(SshCli.ssh(keys, vm.port(), "systemctl is-active docker").output())
                    .isEqualTo("inactive\n");
            r = SshCli.ssh(
                    keys,
                    vm.port(),
                    "systemctl is-active --quiet k3s; echo $?; systemctl is-active containerd"
                            + " buildkit; echo $?; systemctl --user is-active docker; echo $?; sudo systemctl bogus docker");
            assertThat(r.stdout()).isEqualTo("3\ninactive\ninactive\n3\ninactive\n3\n");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.stderr()).contains("unsupported action 'bogus'");

            assertThat(vm.exec("cat", "/proc/1/comm").stdout()).isEqualTo("sshd\n");
            long init = vm.initPid();
            // nsexec: the VM's network namespace, the host's filesystem (so /proc there is the host's)
            assertThat(vm.nsexec("readlink", "/proc/self/ns/net").stdout().trim())
                    .isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + init + "/ns/net"))
                            .toString())
                    .isNotEqualTo(
                            Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
            assertThat(vm.alive()).isTrue();
            vm.stop();
            assertThat(vm.alive()).isFalse();
            assertThat(runningOrSleeping(init))
                    .as("VM PID 1 is gone (or a zombie the host init reaps later)")
                    .isFalse();
            assertThat(connects(vm.port())).isFalse();
        } finally {
            vm.stop();
        }
    }

    @Test
    void sudoCanBeMadeToAskForAPassword() {
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm-nosudo"), FreePort.pick(), keys.publicKey())
                .sudoNeedsPassword(true)
                .start()) {
            ExecResult r = SshCli.ssh(keys, vm.port(), "sudo -n true");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("a password is required");
        }
    }

    @Test
    void caPushMakesCurlTrustAndDockerTrustOnlyAfterRestart() throws IOException {
        SandboxSupport.assumeDocker();
        TestCa ca = TestCa.create(tmp.resolve("pki"));
        long t0 = System.nanoTime();
        try (SandboxVm vm = TlsRegistry.configure(
                        SandboxVm.options(tmp.resolve("vm-docker"), FreePort.pick(), keys.publicKey()))
                .docker(true)
                .start()) {
            long t1 = System.nanoTime();
            try (TlsRegistry registry = TlsRegistry.start(vm, ca, tmp.resolve("registry"));
                    TlsServer https = TlsServer.start(vm, ca, 8443, tmp.resolve("https.log"))) {
                long t2 = System.nanoTime();
                String image = registry.seedImage("tiny");
                long t3 = System.nanoTime();
                String curl = "curl -sS -o /dev/null -w '%{http_code}' " + https.url();
                String pull = "docker pull -q " + image;

                ExecResult r = SshCli.ssh(keys, vm.port(), curl);
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(60);
                r = SshCli.ssh(keys, vm.port(), pull);
                assertThat(r.exitCode()).as(r.toString()).isNotZero();
                assertThat(r.stderr()).contains("x509");

                r = vm.execWithInput(
                        ca.caPem(),
                        "sh",
                        "-c",
                        "cat > /usr/local/share/ca-certificates/x.crt && update-ca-certificates");
                assertThat(r.exitCode()).as(r.toString()).isZero();
                r = SshCli.ssh(keys, vm.port(), curl);
                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(r.stdout()).isEqualTo("200");

                r = SshCli.ssh(keys, vm.port(), pull);
                assertThat(r.stderr())
                        .as("dockerd caches its roots until restarted")
                        .contains("x509");

                long t4 = System.nanoTime();
                r = SshCli.ssh(keys, vm.port(), "sudo -n systemctl restart docker && systemctl is-active docker");
                long t5 = System.nanoTime();
                assertThat(r.stdout()).as(r.toString()).isEqualTo("active\n");
                r = SshCli.ssh(keys, vm.port(), pull);
                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(r.stdout()).contains(image);
                System.out.printf(
                        "sandbox timings: VM+dockerd boot %d ms, registry+https start %d ms, "
                                + "seed image %d ms, docker restart %d ms%n",
                        ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t5 - t4));
            }
        }
        assertThat(hostTrust()).isEqualTo(hostTrustBefore);
    }

    /** sha256 of the host bundle plus the listing of the host's local CA folder. */
    static String hostTrust() throws IOException {
        String sum = Cmd.check("sha256sum", "/etc/ssl/certs/ca-certificates.crt");
        try (Stream<Path> s = Files.list(Path.of("/usr/local/share/ca-certificates"))) {
            return sum + s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean runningOrSleeping(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
