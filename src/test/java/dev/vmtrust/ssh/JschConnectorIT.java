package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.HostResolver;
import dev.vmtrust.platform.Os;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JschConnector against a real sshd on loopback (see {@link LoopbackSshd} for how the host stays untouched). */
class JschConnectorIT {
    @TempDir
    static Path dir;

    static LoopbackSshd sshd;

    private final JschConnector connector = connector(Duration.ofSeconds(10));

    @BeforeAll
    static void startSshd() throws Exception {
        LoopbackSshd.requireEnvironment();
        sshd = LoopbackSshd.start(dir);
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) sshd.close();
    }

    @Test
    void execFeedsStdinThenEofAndReturnsStdoutStderrAndTheExitCode() throws Exception {
        try (RemoteShell shell = connector.connect(endpoint(sshd.port(), sshd.key()), "colima/default")) {
            ExecResult r = shell.exec(
                    "cat; echo oops >&2; exit 3", "hello\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(20));
            assertThat(r).isEqualTo(new ExecResult(3, "hello\n", "oops\n"));
            // several commands on one session; a null stdin is an immediate EOF
            assertThat(shell.exec("cat; echo done", (byte[]) null, Duration.ofSeconds(20)))
                    .isEqualTo(new ExecResult(0, "done\n", ""));
        }
    }

    @Test
    void largeStdinAndStdoutPassWithoutStallingTheSession() throws Exception {
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        try (RemoteShell shell = connector.connect(endpoint(sshd.port(), sshd.key()), "colima/default")) {
            assertThat(shell.exec("wc -c", big, Duration.ofSeconds(30)).stdout().strip())
                    .isEqualTo(String.valueOf(big.length));
            ExecResult r = shell.exec("head -c 3000000 /dev/zero | tr '\\0' a", (byte[]) null, Duration.ofSeconds(30));
            long dropped = 3_000_000 - JschRemoteShell.STDOUT_HEAD - JschRemoteShell.TAIL;
            assertThat(r.stdoutDropped()).isEqualTo(dropped);
            assertThat(r.stdout())
                    .isEqualTo("a".repeat(JschRemoteShell.STDOUT_HEAD) + "\n[vmtrust: " + dropped + " bytes dropped]\n"
                            + "a".repeat(JschRemoteShell.TAIL));
        }
    }

    @Test
    void readsLimasSshConfigWithQuotedValuesAndConnects() throws Exception {
        Path cfg = Files.writeString(
                dir.resolve("ssh.config"),
                SshConfigFileTest.LIMA_SAMPLE
                        .replace(
                                "/Users/alice/.colima/_lima/_config/user",
                                sshd.key().toString())
                        .replace("User alice", "User root")
                        .replace("Port 51234", "Port " + sshd.port()));
        Environment env = new Environment(Map.of("HOME", dir.toString()), Os.LINUX);
        try (RemoteShell shell = connector.connect(SshConfigFile.read(cfg, "lima/dev", env), "lima/dev")) {
            assertThat(shell.exec("id -u", (byte[]) null, Duration.ofSeconds(20))
                            .stdout())
                    .isEqualTo("0\n");
        }
    }

    @Test
    void aCommandOverItsTimeoutIsKilledAndTheSessionStaysUsable() throws Exception {
        try (RemoteShell shell = connector.connect(endpoint(sshd.port(), sshd.key()), "colima/default")) {
            long start = System.nanoTime();
            // sleep 3, not longer: sshd refuses signals in root sessions (no privilege separation after a root
            // login), so the KILL is ignored here and the process lives until it ends by itself.
            assertThatThrownBy(() -> shell.exec("sleep 3", (byte[]) null, Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(
                            SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.COMMAND_TIMEOUT))
                    .hasMessage("colima/default: the command \"sleep 3\" did not finish within 1s; the VM may be"
                            + " overloaded or hung; try: colima restart default");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(shell.exec("echo still here", (byte[]) null, Duration.ofSeconds(20))
                            .stdout())
                    .isEqualTo("still here\n");
        }
    }

    @Test
    void aClosedPortIsReportedAsConnectionRefused() throws Exception {
        int port = LoopbackSshd.freePort();
        assertThatThrownBy(() -> connector.connect(endpoint(port, sshd.key()), "colima/default"))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.REFUSED))
                .hasMessage("colima/default: cannot reach the VM over SSH (127.0.0.1:" + port + "): connection refused;"
                        + " is it running? try: colima start default");
    }

    @Test
    void aPortThatAcceptsAndNeverSpeaksFailsWithinTheConnectTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket blackHole = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(blackHole.accept());
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = blackHole.getLocalPort();
            long start = System.nanoTime();
            assertThatThrownBy(() ->
                            connector(Duration.ofSeconds(2)).connect(endpoint(port, sshd.key()), "colima/default"))
                    .isInstanceOfSatisfying(
                            SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.TIMEOUT))
                    .hasMessage("colima/default: cannot reach the VM over SSH (127.0.0.1:" + port + "): no answer"
                            + " within 2s; the VM may be hung; try: colima restart default");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void aServerThatTricklesBytesForeverStillFailsWithinTheConnectTimeout() throws Exception {
        // each byte resets JSch's per-read timeout; only the whole-handshake watchdog ends this
        try (ServerSocket trickle = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread writer = new Thread(() -> {
                try (Socket s = trickle.accept()) {
                    while (true) {
                        s.getOutputStream().write('x');
                        s.getOutputStream().flush();
                        Thread.sleep(300);
                    }
                } catch (Exception closed) {
                    // the client gave up: that is the point
                }
            });
            writer.setDaemon(true);
            writer.start();
            int port = trickle.getLocalPort();
            long start = System.nanoTime();
            assertThatThrownBy(() -> connector(Duration.ofSeconds(2)).connect(endpoint(port, sshd.key()), "lima/dev"))
                    .hasMessage("lima/dev: cannot reach the VM over SSH (127.0.0.1:" + port + "): no answer within 2s;"
                            + " the VM may be hung; try: limactl stop dev && limactl start dev");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aKeyTheVmDoesNotAcceptIsNamed() throws Exception {
        int port = sshd.port();
        assertThatThrownBy(() -> connector.connect(endpoint(port, sshd.otherKey()), "lima/dev"))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.AUTH))
                .hasMessage("lima/dev: cannot reach the VM over SSH (127.0.0.1:" + port + "): the VM refused the key "
                        + sshd.otherKey() + "; try: limactl stop dev && limactl start dev");
    }

    private static SshEndpoint endpoint(int port, Path key) {
        return new SshEndpoint("127.0.0.1", port, "root", key);
    }

    private static JschConnector connector(Duration connectTimeout) {
        return new JschConnector(
                new Config.Ssh(connectTimeout, Duration.ofSeconds(120), List.of()),
                HostResolver.SYSTEM,
                new OutputBudget(OutputBudget.DEFAULT_BYTES));
    }
}
