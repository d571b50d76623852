package dev.vmtrust.it;

import java.nio.file.Path;

/**
 * An HTTPS server ({@code openssl s_server -www}, answers "HTTP/1.0 200 ok") inside a VM's network namespace,
 * presenting {@link TestCa#serverCert()}. From inside the VM it is {@code https://registry.test:PORT/}: the VM
 * must be booted net-mode with {@link TlsRegistry#configure} (hosts entry). Not reachable from the host.
 */
public final class TlsServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private TlsServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server on TlsRegistry.ADDRESS:PORT in the VM's netns; returns when it accepts connections. */
    public static TlsServer start(SandboxVm vm, TestCa ca, int port, Path log) {
        TlsRegistry.checkVm(vm);
        Process p = vm.spawnNs(
                log,
                "openssl",
                "s_server",
                "-www",
                "-quiet",
                "-accept",
                TlsRegistry.hostPort(port),
                "-cert",
                ca.serverCert().toString(),
                "-key",
                ca.serverKey().toString());
        TlsServer server = new TlsServer(p, port);
        try {
            TlsRegistry.awaitListening(vm, p, port, log);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** https://registry.test:PORT/ (valid inside the VM only). */
    public String url() {
        return "https://" + TlsRegistry.HOST + ":" + port + "/";
    }

    /** curl's exit code for this server from inside {@code vm}: 0 trusted, 60 untrusted chain. */
    public int curlExit(SandboxVm vm) {
        return vm.exec("curl", "-sS", "-o", "/dev/null", "--max-time", "5", url())
                .exitCode();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        SandboxVm.kill(process);
    }
}
