package dev.vmtrust.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Docker registry (Debian's {@code docker-registry serve CONFIG}) inside a net-mode VM's network namespace:
 * TLS with {@link TestCa#serverCert()} on ADDRESS:5000, reached from the VM as {@code registry.test:5000}, plus a
 * plain-HTTP twin on the VM's 127.0.0.1:5001 sharing the same storage, used only to seed images.
 *
 * <p>dockerd treats 127.0.0.0/8 as an insecure registry (no TLS check at all), so the TLS registry must not sit
 * there. Default ADDRESS is {@code ::1} (verified: dockerd 20.10.24 checks TLS there). Newer engines may treat
 * ::1 as insecure too; then run with {@code -Dvmtrust.it.registryAddress=10.213.0.1}, which {@link #configure}
 * adds to the VM netns' own lo (never the host's). Boot the VM with {@link #configure} so /etc/hosts maps
 * registry.test before dockerd starts (Go caches /etc/hosts for ~5 s).
 */
public final class TlsRegistry implements AutoCloseable {
    public static final String HOST = "registry.test";
    public static final String ADDRESS = System.getProperty("vmtrust.it.registryAddress", "::1");
    public static final int TLS_PORT = 5000;
    public static final int HTTP_PORT = 5001;

    private final SandboxVm vm;
    private final Path workDir;
    private final Process tls;
    private final Process http;

    private TlsRegistry(SandboxVm vm, Path workDir, Process tls, Process http) {
        this.vm = vm;
        this.workDir = workDir;
        this.tls = tls;
        this.http = http;
    }

    /** Boot options for a VM that can reach registry.test (hosts entry; lo address unless ADDRESS is ::1). */
    public static SandboxVm.Options configure(SandboxVm.Options o) {
        o.net(true).host(ADDRESS, HOST);
        if (!ADDRESS.equals("::1")) {
            o.loAddress(ADDRESS + (ADDRESS.contains(":") ? "/128" : "/32"));
        }
        return o;
    }

    /** Starts both registry processes (host files in WORKDIR) and waits until they listen. */
    public static TlsRegistry start(SandboxVm vm, TestCa ca, Path workDir) {
        checkVm(vm);
        try {
            Files.createDirectories(workDir.resolve("storage"));
            String common = "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n"
                    + "storage:\n  filesystem:\n    rootdirectory: " + workDir.resolve("storage") + "\n"
                    + "http:\n  secret: vmtrust-it\n";
            Path tlsConf = Files.writeString(
                    workDir.resolve("registry-tls.yml"),
                    common
                            + "  addr: \"" + hostPort(TLS_PORT) + "\"\n  tls:\n    certificate: " + ca.serverCert()
                            + "\n    key: " + ca.serverKey() + "\n");
            Path httpConf = Files.writeString(
                    workDir.resolve("registry-http.yml"), common + "  addr: \"127.0.0.1:" + HTTP_PORT + "\"\n");
            Path tlsLog = workDir.resolve("registry-tls.log");
            Path httpLog = workDir.resolve("registry-http.log");
            TlsRegistry r = new TlsRegistry(
                    vm,
                    workDir,
                    vm.spawnNs(tlsLog, "docker-registry", "serve", tlsConf.toString()),
                    vm.spawnNs(httpLog, "docker-registry", "serve", httpConf.toString()));
            try {
                awaitListening(vm, r.tls, ADDRESS, TLS_PORT, tlsLog);
                awaitListening(vm, r.http, "127.0.0.1", HTTP_PORT, httpLog);
            } catch (RuntimeException e) {
                r.close();
                throw e;
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes a tiny image (static busybox as /bin/busybox and /bin/sh; never run by the tests), pushes it through the
     * HTTP twin and removes it from the VM's dockerd again. Needs dockerd running. Returns "registry.test:5000/NAME:latest".
     */
    public String seedImage(String name) {
        try {
            Path rootfs = workDir.resolve("rootfs-" + name);
            Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
            Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
            Path tar = workDir.resolve("rootfs-" + name + ".tar");
            Cmd.check("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".");
            String local = "127.0.0.1:" + HTTP_PORT + "/" + name + ":latest";
            check(vm.execWithInput(tar, "docker", "import", "-", local), "docker import");
            check(vm.exec("docker", "push", local), "docker push");
            check(vm.exec("docker", "rmi", local), "docker rmi");
            return image(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "registry.test:5000/NAME:latest" */
    public static String image(String name) {
        return HOST + ":" + TLS_PORT + "/" + name + ":latest";
    }

    @Override
    public void close() {
        SandboxVm.kill(tls);
        SandboxVm.kill(http);
    }

    static String hostPort(int port) {
        return (ADDRESS.contains(":") ? "[" + ADDRESS + "]" : ADDRESS) + ":" + port;
    }

    static void checkVm(SandboxVm vm) {
        if (!vm.net()) {
            throw new IllegalArgumentException("TLS servers need a net-mode VM (own network namespace)");
        }
        ExecResult r = vm.exec("getent", "hosts", HOST);
        if (!r.ok() || !r.stdout().startsWith(ADDRESS + " ")) {
            throw new IllegalStateException("VM was not booted with TlsRegistry.configure(): " + r);
        }
    }

    /** Waits until ADDRESS:PORT in the VM's netns accepts TCP connections; fails fast if PROCESS died. */
    static void awaitListening(SandboxVm vm, Process process, String address, int port, Path log) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited:\n" + Files.readString(log));
                }
                if (vm.nsexec("bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port)
                        .ok()) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException(
                    "nothing listens on " + address + ":" + port + ":\n" + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void awaitListening(SandboxVm vm, Process process, int port, Path log) {
        awaitListening(vm, process, ADDRESS, port, log);
    }

    private static void check(ExecResult r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + " failed: " + r);
        }
    }
}
