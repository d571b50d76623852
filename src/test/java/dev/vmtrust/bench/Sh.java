package dev.vmtrust.bench;

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

/** Host commands for the benchmark: argv lists, output to temp files (no pipe deadlocks), a timeout each. */
final class Sh {
    record Result(int exit, String out, String err) {
        boolean ok() { return exit == 0; }
        String all() { return out + err; }
        @Override public String toString() { return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    private Sh() {}

    static Result run(List<String> cmd) {
        return run(cmd, Map.of(), null, Duration.ofMinutes(3));
    }

    /** Runs CMD with ENV added to this process's environment (a null value removes the variable). */
    static Result run(List<String> cmd, Map<String, String> env, Path stdin, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("vmtb", ".out");
            err = Files.createTempFile("vmtb", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(stdin != null ? stdin.toFile() : new File("/dev/null"));
            env.forEach((k, v) -> {
                if (v == null) pb.environment().remove(k);
                else pb.environment().put(k, v);
            });
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + cmd, e);
        } finally {
            for (Path p : new Path[] {out, err}) {
                try {
                    if (p != null) Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    static Result check(Result r, String what) {
        if (!r.ok()) throw new IllegalStateException(what + " failed: " + r);
        return r;
    }

    static String check(String... cmd) {
        return check(run(List.of(cmd)), String.join(" ", cmd)).out();
    }
}
