package dev.vmtrust.ssh;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd on 127.0.0.1:free-port for integration tests, started as root with everything in
 * a temp dir: host key, config, authorized_keys (for {@link #key()}), log. The host is not changed:
 * sshd needs its privilege-separation dir /run/sshd, so it runs in a private mount namespace
 * ({@code unshare --mount}) with a tmpfs on /run; sshd replaces the shell via exec, so {@link #close()}
 * stops exactly the PID we started. Login as root is allowed by key only, on loopback, while the test runs.
 *
 * <p>{@link #requireEnvironment()}: skips unless root + sshd + unshare + ssh-keygen are present; with
 * {@code VMTRUST_IT_REQUIRED=1} it fails instead.
 */
final class LoopbackSshd implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private LoopbackSshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    static void requireEnvironment() {
        String missing =
                ProcessHandle.current().info().user().filter("root"::equals).isEmpty()
                        ? "not root"
                        : !Files.isExecutable(Path.of("/usr/sbin/sshd"))
                                ? "no /usr/sbin/sshd"
                                : !Files.isExecutable(Path.of("/usr/bin/unshare"))
                                        ? "no /usr/bin/unshare"
                                        : !Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))
                                                ? "no /usr/bin/ssh-keygen"
                                                : null;
        if (missing == null) return;
        String why = "JschConnectorIT needs root, /usr/sbin/sshd, unshare and ssh-keygen: " + missing;
        if ("1".equals(System.getenv("VMTRUST_IT_REQUIRED"))) fail(why + " (VMTRUST_IT_REQUIRED=1)");
        assumeTrue(false, why);
    }

    static LoopbackSshd start(Path dir) throws Exception {
        keygen(dir.resolve("hostkey"));
        keygen(dir.resolve("user"));
        keygen(dir.resolve("other"));
        Files.copy(dir.resolve("user.pub"), dir.resolve("authorized_keys"));
        int port = freePort();
        Path config = Files.writeString(
                dir.resolve("sshd_config"),
                String.join(
                        "\n",
                        "ListenAddress 127.0.0.1",
                        "Port " + port,
                        "HostKey " + dir.resolve("hostkey"),
                        "PidFile " + dir.resolve("sshd.pid"),
                        "UsePAM no",
                        "StrictModes no",
                        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                        "PubkeyAuthentication yes",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PermitRootLogin prohibit-password",
                        "AllowUsers root",
                        "UseDNS no",
                        "PrintMotd no",
                        "LogLevel VERBOSE",
                        ""));
        Process p = new ProcessBuilder(
                        "/usr/bin/unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "/bin/sh",
                        "-c",
                        "mount -t tmpfs vmtrust-it /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd -D -e -f \"$1\"",
                        "sh",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        LoopbackSshd sshd = new LoopbackSshd(dir, port, p);
        sshd.awaitBanner();
        return sshd;
    }

    int port() {
        return port;
    }

    /** The key in authorized_keys. */
    Path key() {
        return dir.resolve("user");
    }

    /** A valid key the server does not accept. */
    Path otherKey() {
        return dir.resolve("other");
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void awaitBanner() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) fail("sshd exited with " + process.exitValue() + ":\n" + log());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                byte[] b = in.readNBytes(4);
                if (new String(b, StandardCharsets.US_ASCII).equals("SSH-")) return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        fail("sshd did not answer on 127.0.0.1:" + port + " within 10s:\n" + log());
    }

    private static void keygen(Path file) throws Exception {
        Process p = new ProcessBuilder(List.of(
                        "/usr/bin/ssh-keygen",
                        "-q",
                        "-t",
                        "ed25519",
                        "-N",
                        "",
                        "-C",
                        "vmtrust-it",
                        "-f",
                        file.toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) fail("ssh-keygen failed: " + out);
    }

    /** A port nothing listens on right now (a tiny race with other processes is accepted in tests). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
