package dev.vmtrust.install;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A place to run the real scripts/vmtrust and scripts/install.sh: a temporary HOME whose path has a space, a
 * copy of the project's scripts/ in a checkout folder with a space, and a PATH of only {@link #bin} (stand-ins
 * from src/test/resources/install/) and {@link #tools} (links to the few system tools the scripts use). The
 * machine's own java, mvn, keytool and security are never on that PATH, so a test sees only what it put there.
 */
final class Sandbox implements AutoCloseable {
    /** System tools the scripts and stand-ins may use; java, mvn, keytool, security and uname are not among them. */
    private static final List<String> TOOLS = List.of(
            "sh",
            "dash",
            "bash",
            "env",
            "cat",
            "cp",
            "mv",
            "mkdir",
            "rmdir",
            "chmod",
            "rm",
            "ln",
            "ls",
            "grep",
            "sed",
            "awk",
            "tr",
            "head",
            "tail",
            "cut",
            "sort",
            "wc",
            "mktemp",
            "readlink",
            "dirname",
            "basename",
            "pwd",
            "touch",
            "sleep",
            "id",
            "base64",
            "sha256sum",
            "sha1sum",
            "fold",
            "printf");

    final Path root;
    final Path home;
    final Path bin;
    final Path tools;
    final Path checkout;
    final Path tmpDir;
    final Map<String, String> env = new HashMap<>();

    Sandbox(Path tmp) throws IOException {
        root = Files.createDirectories(tmp.resolve("x"));
        home = Files.createDirectories(root.resolve("home with space"));
        bin = Files.createDirectories(root.resolve("bin"));
        tools = Files.createDirectories(root.resolve("tools"));
        tmpDir = Files.createDirectories(root.resolve("tmp"));
        checkout = Files.createDirectories(root.resolve("src dir").resolve("scripts"))
                .getParent();
        for (String name : List.of("vmtrust", "install.sh")) {
            Path to = Files.copy(
                    projectDir().resolve("scripts").resolve(name),
                    checkout.resolve("scripts").resolve(name));
            executable(to);
        }
        for (String t : TOOLS) {
            for (String dir : List.of("/usr/bin/", "/bin/")) {
                if (Files.isExecutable(Path.of(dir + t))) {
                    Files.createSymbolicLink(tools.resolve(t), Path.of(dir + t));
                    break;
                }
            }
        }
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmpDir.toString());
        env.put("PATH", bin + ":" + tools);
        env.put("LC_ALL", "C");
    }

    /** Removes every symlink in the sandbox (JUnit warns about each link it deletes that points out of @TempDir). */
    @Override
    public void close() throws IOException {
        try (var all = Files.walk(root)) {
            for (Path l : all.filter(Files::isSymbolicLink).toList()) Files.delete(l);
        }
    }

    static Path projectDir() {
        return Path.of(System.getProperty("user.dir"));
    }

    static Path realJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path realKeytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool");
    }

    /** Copies the stand-in src/test/resources/{@code resource} to {@code to}, executable. */
    static Path standIn(String resource, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = Sandbox.class.getResourceAsStream("/" + resource)) {
            if (in == null) throw new IllegalStateException("no test resource " + resource);
            Files.write(to, in.readAllBytes());
        }
        return executable(to);
    }

    /** Puts the stand-in install/{@code name} on this sandbox's PATH. */
    Path standIn(String name) throws IOException {
        return standIn("install/" + name, bin.resolve(name));
    }

    /** A fake java at {@code home}/bin/java that prints {@code versionText} for -version (exit code {@code exit})
     *  and runs the real java for anything else. */
    static Path fakeJava(Path javaHome, String versionText, int exit) throws IOException {
        Path java = standIn("install/java", javaHome.resolve("bin/java"));
        Files.writeString(javaHome.resolve("bin/version.txt"), versionText);
        Files.writeString(javaHome.resolve("bin/exit.txt"), Integer.toString(exit));
        Files.writeString(javaHome.resolve("bin/real.txt"), realJava().toString());
        executable(Files.writeString(javaHome.resolve("bin/javac"), "#!/bin/sh\nexit 0\n"));
        return java;
    }

    /** A java at {@code home}/bin/java that is the real one for every call, -version included. */
    static Path realJavaAt(Path javaHome) throws IOException {
        Path java = standIn("install/java", javaHome.resolve("bin/java"));
        Files.writeString(javaHome.resolve("bin/real.txt"), realJava().toString());
        return java;
    }

    static Path executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code cmd} in {@code cwd} with exactly {@link #env}; stdin is /dev/null. */
    Result run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(root, "run", ".out");
        Path err = Files.createTempFile(root, "run", ".err");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(cmd)))
                .directory(cwd.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(new File("/dev/null"));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("did not finish within 120 s: " + List.of(cmd) + "\n" + Files.readString(err));
        }
        Result r = new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
