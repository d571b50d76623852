package dev.vmtrust.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands for the test harness. Output goes to temp files (no pipe deadlocks); on timeout the
 * command and all its descendants are killed by PID (nsenter forks, so the real work is a child).
 */
public final class Cmd {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private Cmd() {}

    static ExecResult run(String... cmd) {
        return run(List.of(cmd), DEFAULT_TIMEOUT, null, Map.of());
    }

    /**
     * @param stdin file fed to the command's stdin, or null for none (/dev/null)
     * @param env   added to this process's environment; a null value removes the variable
     */
    public static ExecResult run(List<String> cmd, Duration timeout, Path stdin, Map<String, String> env) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("vmtrust-cmd", ".out");
            err = Files.createTempFile("vmtrust-cmd", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(stdin != null ? stdin.toFile() : new File("/dev/null"));
            env.forEach((k, v) -> {
                if (v == null) pb.environment().remove(k);
                else pb.environment().put(k, v);
            });
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p);
                throw new IllegalStateException(
                        "timed out after " + timeout + ": " + cmd + "\n" + Files.readString(err));
            }
            return new ExecResult(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + cmd, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs a command that must succeed; returns its stdout. */
    static String check(String... cmd) {
        ExecResult r = run(cmd);
        if (!r.ok()) {
            throw new IllegalStateException("command failed: " + String.join(" ", cmd) + "\n" + r);
        }
        return r.stdout();
    }

    /** SIGKILL a process and its descendants, by PID, children first. */
    static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            if (p != null) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
