package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.it.FreePort;
import dev.vmtrust.it.SandboxSupport;
import dev.vmtrust.it.SandboxVm;
import dev.vmtrust.it.TestKeys;
import dev.vmtrust.platform.HostResolver;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SessionPool over the real JschConnector against a sandbox VM's sshd (limauser, key only, loopback): handshakes
 * are counted in sshd's own log ("Accepted publickey"), sessions on the VM side as sshd's per-connection
 * processes (children of the VM's PID 1, the listening sshd), threads on this side by JSch's session thread name.
 */
class SessionPoolIT {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private TestKeys keys;
    private int port;
    private SandboxVm vm;
    private SessionPool pool;
    private final List<Long> stopped = new ArrayList<>();

    @BeforeEach
    void boot() {
        SandboxSupport.assumeSandbox();
        keys = TestKeys.generate(tmp.resolve("keys"));
        port = FreePort.pick();
        vm = start();
        pool = new SessionPool(
                new JschConnector(
                        new Config.Ssh(Duration.ofSeconds(2), T, List.of()),
                        HostResolver.SYSTEM,
                        new OutputBudget(OutputBudget.DEFAULT_BYTES)),
                Duration.ofMinutes(20),
                System::nanoTime);
    }

    @AfterEach
    void stop() {
        if (pool != null) pool.close();
        for (long pid : stopped) signal("KILL", pid); // the connection processes this test froze (our VM's)
        if (vm != null) vm.stop();
    }

    private SandboxVm start() {
        return SandboxVm.options(tmp.resolve("vm"), port, keys.publicKey()).start(); // same folder: same "disk"
    }

    private SshEndpoint endpoint() {
        return new SshEndpoint("127.0.0.1", port, "limauser", keys.privateKey());
    }

    /** One "round": connect, two execs, close. Returns the PID (in the VM) of the sshd process that ran the commands. */
    private String round() throws SshException {
        try (RemoteShell sh = pool.connect(endpoint(), "colima/default")) {
            assertThat(sh.exec("cat", "stdin reaches the VM\n", T).stdout()).isEqualTo("stdin reaches the VM\n");
            ExecResult r = sh.exec("echo $PPID", (byte[]) null, T);
            assertThat(r.exitCode()).isZero();
            return r.stdout().strip();
        }
    }

    private long logins() throws IOException {
        return Files.readString(vm.consoleLog())
                .lines()
                .filter(l -> l.contains("Accepted publickey"))
                .count();
    }

    @Test
    void severalRoundsPayOneHandshakeOnOneConnection() throws Exception {
        List<String> sshd = new ArrayList<>();
        for (int i = 0; i < 5; i++) sshd.add(round());
        assertThat(logins()).isEqualTo(1);
        assertThat(pool.opened()).isEqualTo(1);
        assertThat(pool.reused()).isEqualTo(4);
        assertThat(sshd)
                .as("every exec ran under the same sshd connection process (PIDs of the VM's namespace)")
                .containsOnly(sshd.get(0));
        assertThat(connectionProcesses()).isNotEmpty();
    }

    @Test
    void afterTheVmAndItsSshdRestartTheNextRoundWorksOnANewSession() throws Exception {
        round();
        vm.stop();
        vm = start(); // same port and key, like a VM restart whose ssh port did not change
        round();
        assertThat(logins()).as("the new sshd's log").isEqualTo(1);
        assertThat(pool.opened()).isEqualTo(2);
        round();
        assertThat(pool.opened()).as("and that session is kept in turn").isEqualTo(2);
    }

    @Test
    void aKeptSessionWhoseSshdProcessHangsIsReplacedWithinTheConnectTimeout() throws Exception {
        round();
        List<Long> frozen = new ArrayList<>();
        for (long pid : connectionProcesses()) frozen.addAll(tree(pid)); // privsep: the user's child speaks SSH
        assertThat(frozen).hasSizeGreaterThanOrEqualTo(2);
        for (long pid : frozen) { // the session still looks open to JSch: only the channel open times out
            stopped.add(pid);
            signal("STOP", pid);
        }
        long t0 = System.nanoTime();
        round();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(pool.opened()).isEqualTo(2);
        assertThat(logins()).isEqualTo(2);
    }

    @Test
    void closeEndsEverySessionOnBothSides() throws Exception {
        long threadsBefore = jschThreads();
        round();
        try (RemoteShell held = pool.connect(endpoint(), "colima/default");
                RemoteShell second = pool.connect(endpoint(), "colima/default")) { // one kept, one extra: both open
            held.exec("true", (byte[]) null, T);
            second.exec("true", (byte[]) null, T);
            assertThat(jschThreads() - threadsBefore).isEqualTo(2);
        }
        assertThat(pool.openSessions())
                .as("the extra session is closed when given back")
                .isEqualTo(1);
        pool.close();
        assertThat(pool.openSessions()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((jschThreads() > threadsBefore || !connectionProcesses().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(jschThreads()).as("JSch session threads").isEqualTo(threadsBefore);
        assertThat(connectionProcesses())
                .as("sshd connection processes in the VM")
                .isEmpty();
    }

    /** JSch names each session's reader thread "Connect thread HOST session". */
    private static long jschThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("Connect thread "))
                .count();
    }

    /** Host PIDs of sshd's per-connection processes: the children of the VM's PID 1 (the listening sshd). */
    private List<Long> connectionProcesses() throws IOException {
        List<Long> out = new ArrayList<>();
        long init = vm.initPid();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + init + "/task"))) {
            for (Path t : tasks) {
                for (String c : Files.readString(t.resolve("children")).trim().split("\\s+")) {
                    if (!c.isEmpty()) out.add(Long.parseLong(c));
                }
            }
        }
        return out;
    }

    /** PID and its descendants. */
    private static List<Long> tree(long pid) throws IOException {
        List<Long> out = new ArrayList<>(List.of(pid));
        for (int i = 0; i < out.size(); i++) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + out.get(i) + "/task"))) {
                for (Path t : tasks) {
                    for (String c :
                            Files.readString(t.resolve("children")).trim().split("\\s+")) {
                        if (!c.isEmpty()) out.add(Long.parseLong(c));
                    }
                }
            }
        }
        return out;
    }

    private static void signal(String sig, long pid) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
