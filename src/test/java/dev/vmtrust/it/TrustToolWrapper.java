package dev.vmtrust.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in {@code update-ca-certificates} in a sandbox VM's /usr/local/sbin (first on sudo's secure_path;
 * the folder is the VM dir's {@code sbin}, so the host reads and writes it directly and it survives a
 * restart). It logs "begin PID" / "end PID" to {@code trust.log}, waits while {@code hold} exists (after
 * creating {@code reached}), sleeps {@code delay} seconds, then runs the real tool. It also puts a no-op hook in
 * the VM's /etc/ca-certificates/update.d, so the in-VM script hands every trust update to the tool (with a hook
 * it never rebuilds the bundle itself): the tool's run is the step these tests hold, delay and kill. The
 * script's own bundle path is covered by ScriptBundleTest, SyncIT and ScaleIT.
 */
final class TrustToolWrapper {
    private static final String SCRIPT = """
            #!/bin/sh
            d=/usr/local/sbin
            echo "begin $$" >>$d/trust.log
            while [ -e $d/hold ]; do : >$d/reached; sleep 0.05; done
            sleep "$(cat $d/delay 2>/dev/null || echo 0)"
            /usr/sbin/update-ca-certificates "$@"; rc=$?
            echo "end $$" >>$d/trust.log
            exit $rc
            """;

    private final Path dir;

    private TrustToolWrapper(Path dir) {
        this.dir = dir;
    }

    static TrustToolWrapper install(SandboxVm vm) {
        Path dir = vm.dir().resolve("sbin");
        try {
            Path tool = Files.writeString(dir.resolve("update-ca-certificates"), SCRIPT);
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
            ExecResult hook = vm.exec(
                    "sh",
                    "-c",
                    "mkdir -p /etc/ca-certificates/update.d && printf '#!/bin/sh\\nexit 0\\n'"
                            + " >/etc/ca-certificates/update.d/vmtrust-test-hook"
                            + " && chmod 755 /etc/ca-certificates/update.d/vmtrust-test-hook");
            if (!hook.ok()) throw new IllegalStateException("cannot add the hook: " + hook.stderr());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TrustToolWrapper(dir);
    }

    void delay(int seconds) {
        write("delay", seconds + "\n");
    }

    void hold() {
        write("hold", "");
    }

    void release() {
        try {
            Files.deleteIfExists(dir.resolve("hold"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a run is held inside the trust update. */
    void awaitReached(long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!Files.exists(dir.resolve("reached"))) {
            if (System.currentTimeMillis() > end) throw new IllegalStateException("no run reached the trust update");
            Thread.sleep(20);
        }
    }

    /** The log lines: "begin PID" / "end PID". */
    List<String> log() {
        try {
            Path f = dir.resolve("trust.log");
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
