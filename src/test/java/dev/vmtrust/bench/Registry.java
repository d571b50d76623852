package dev.vmtrust.bench;

import dev.vmtrust.it.ExecResult;
import dev.vmtrust.it.SandboxVm;
import dev.vmtrust.it.TestCa;
import dev.vmtrust.it.TlsRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's docker-registry inside a VM's network namespace, TLS on [ADDRESS]:PORT (registry.test in the VM) with
 * CA's server certificate, over a storage folder shared by every registry of the benchmark.
 */
final class Registry {
    static final String IMAGE = "tiny";

    private Registry() {}

    static Process start(SandboxVm vm, TestCa ca, int port, Path storage, Path work) {
        try {
            Files.createDirectories(work);
            Path conf = Files.writeString(
                    work.resolve("registry-" + port + ".yml"),
                    common(storage)
                            + "  addr: \"" + hostPort(port) + "\"\n  tls:\n    certificate: " + ca.serverCert()
                            + "\n    key: " + ca.serverKey() + "\n");
            Path log = work.resolve("registry-" + port + ".log");
            Process p = vm.spawnNs(log, "docker-registry", "serve", conf.toString());
            awaitListening(vm, p, TlsRegistry.ADDRESS, port, log);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pushes a tiny image (a static busybox; never run) through a plain-HTTP twin on the VM's 127.0.0.1:5001. */
    static void seed(SandboxVm vm, Path storage, Path work) throws IOException {
        Path conf =
                Files.writeString(work.resolve("registry-http.yml"), common(storage) + "  addr: \"127.0.0.1:5001\"\n");
        Path log = work.resolve("registry-http.log");
        Process http = vm.spawnNs(log, "docker-registry", "serve", conf.toString());
        try {
            awaitListening(vm, http, "127.0.0.1", 5001, log);
            Path rootfs = Files.createDirectories(work.resolve("rootfs/bin"));
            Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
            Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
            Path tar = work.resolve("rootfs.tar");
            Sh.check("tar", "-C", work.resolve("rootfs").toString(), "-cf", tar.toString(), ".");
            String local = "127.0.0.1:5001/" + IMAGE + ":latest";
            check(vm.execWithInput(tar, "docker", "import", "-", local), "docker import");
            check(vm.exec("docker", "push", local), "docker push");
            check(vm.exec("docker", "rmi", local), "docker rmi");
        } finally {
            SandboxVm.kill(http);
        }
    }

    private static String common(Path storage) {
        return "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage + "\n"
                + "http:\n  secret: vmtrust-bench\n";
    }

    private static String hostPort(int port) {
        String a = TlsRegistry.ADDRESS;
        return (a.contains(":") ? "[" + a + "]" : a) + ":" + port;
    }

    private static void awaitListening(SandboxVm vm, Process p, String address, int port, Path log) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) throw new IllegalStateException("registry exited:\n" + Files.readString(log));
                if (vm.nsexec("bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port)
                        .ok()) return;
                Thread.sleep(50);
            }
            throw new IllegalStateException("no registry on " + address + ":" + port + ":\n" + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void check(ExecResult r, String what) {
        if (!r.ok()) throw new IllegalStateException(what + " failed: " + r);
    }
}
