package dev.vmtrust.testing;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code dev.vmtrust.Main} in a fresh JVM, for what cannot be set inside this one: the umask, or
 * another user ({@code prefix}, e.g. {@code setpriv ...}). The environment is exactly {@code env} plus PATH.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** {@code classpath}: this JVM's by default; pass the shaded jar when another user must read it. */
    public static CliRun.Result run(
            List<String> prefix, String classpath, Map<String, String> env, Path workDir, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(
                "-cp", classpath == null ? System.getProperty("java.class.path") : classpath, "dev.vmtrust.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "child", ".out");
        Path err = Files.createTempFile(workDir, "child", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(new File("/dev/null"));
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException("child JVM did not finish within 60 s: " + cmd);
        }
        return new CliRun.Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Runs {@code cmd} under {@code umask} (octal, e.g. "000"). */
    public static List<String> umask(String umask) {
        return List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh");
    }
}
