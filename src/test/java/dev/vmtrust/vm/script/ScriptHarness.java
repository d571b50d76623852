package dev.vmtrust.vm.script;

import java.io.IOException;
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
 * Runs the in-VM script safely: every path under {@code VMTRUST_ROOT=<tmp>/root}, and a PATH of
 * only two temp folders: stand-ins that log their argv and never call real tools, and links to
 * harmless basic utilities. The host's real trust tools are never on that PATH.
 */
final class ScriptHarness {
    enum Shell {
        DASH("/usr/bin/dash"),
        BUSYBOX("/usr/bin/busybox", "sh"),
        BASH("/usr/bin/bash");
        final List<String> argv;

        Shell(String... argv) {
            this.argv = List.of(argv);
        }

        boolean installed() {
            return Files.isExecutable(Path.of(argv.get(0)));
        }
    }

    /** Basic utilities the script needs; {@code flock} is left out by {@link #withoutFlock()}. */
    static final List<String> TOOLS =
            List.of("cat", "mv", "rm", "mkdir", "chmod", "sleep", "rmdir", "env", "ln", "flock");

    static final List<String> STANDINS = List.of(
            "update-ca-certificates",
            "update-ca-trust",
            "trust",
            "systemctl",
            "rc-service",
            "service",
            "docker",
            "ctr",
            "nerdctl",
            "sudo",
            "id");

    record Run(String stdout, String stderr, int exit, ScriptResult result) {}

    final Path root, bin, tools, cfg, log, outDir;
    final Shell shell;
    final Map<String, String> env = new HashMap<>();

    /** The same VM root, stand-ins and environment, with its own stdout/stderr files: for parallel runs. */
    ScriptHarness copyFor(Path outDir) throws IOException {
        return new ScriptHarness(this, Files.createDirectories(outDir));
    }

    private ScriptHarness(ScriptHarness o, Path outDir) {
        shell = o.shell;
        root = o.root;
        bin = o.bin;
        tools = o.tools;
        cfg = o.cfg;
        log = o.log;
        this.outDir = outDir;
        env.putAll(o.env);
    }

    ScriptHarness(Path tmp, Shell shell) throws IOException {
        this.shell = shell;
        root = Files.createDirectories(tmp.resolve("root"));
        bin = Files.createDirectories(tmp.resolve("standins"));
        tools = Files.createDirectories(tmp.resolve("tools"));
        cfg = Files.createDirectories(tmp.resolve("cfg"));
        log = tmp.resolve("calls.log");
        outDir = cfg;
        Files.writeString(log, "");
        for (String t : TOOLS) {
            Path real = shell == Shell.BUSYBOX ? Path.of("/usr/bin/busybox") : Path.of("/usr/bin", t);
            if (shell == Shell.BUSYBOX && t.equals("flock")) continue; // busybox has no flock applet
            // A wrapper, not a symbolic link: JUnit warns when it deletes links that point outside.
            String call = shell == Shell.BUSYBOX ? real + " " + t : real.toString();
            if (Files.isExecutable(real)) standin(tools, t, "#!/bin/sh\nexec " + call + " \"$@\"\n");
        }
        for (String s : STANDINS) standin(bin, s, StandIns.script(s));
        osRelease("ubuntu", "debian");
        env.put("PATH", bin + ":" + tools);
        env.put("VMTRUST_ROOT", root.toString());
        env.put("VMTRUST_LOCK_WAIT", "5");
        env.put("STANDIN_LOG", log.toString());
        env.put("STANDIN_CFG", cfg.toString());
    }

    ScriptHarness osRelease(String id, String idLike) throws IOException {
        Path f = Files.createDirectories(root.resolve("etc")).resolve("os-release");
        Files.writeString(f, "NAME=\"Test\"\nID=" + id + "\n" + (idLike == null ? "" : "ID_LIKE=\"" + idLike + "\"\n"));
        return this;
    }

    ScriptHarness systemd() throws IOException {
        Files.createDirectories(root.resolve("run/systemd/system"));
        return this;
    }

    ScriptHarness withoutFlock() throws IOException {
        Files.deleteIfExists(tools.resolve("flock"));
        return this;
    }

    ScriptHarness without(String standin) throws IOException {
        Files.delete(bin.resolve(standin));
        return this;
    }

    /** Adds wrappers for more of the machine's own utilities (GNU coreutils, findutils, sed) to the PATH. */
    ScriptHarness withTools(String... names) throws IOException {
        for (String t : names) {
            Path real = Path.of("/usr/bin", t);
            if (!Files.isExecutable(real)) throw new IllegalStateException(real + " is not installed");
            standin(tools, t, "#!/bin/sh\nexec " + real + " \"$@\"\n");
        }
        return this;
    }

    /**
     * Debian's real update-ca-certificates in place of the stand-in, confined to the VM root by its own options
     * (every folder, the conf and the hooks folder under {@code VMTRUST_ROOT}); each call is logged as
     * {@code update-ca-certificates ARGS}.
     */
    ScriptHarness withRealDebianTool() throws IOException {
        Path real = Path.of("/usr/sbin/update-ca-certificates");
        if (!Files.isExecutable(real)) throw new IllegalStateException(real + " is not installed (ca-certificates)");
        standin(bin, "update-ca-certificates", """
                #!/bin/sh
                echo "update-ca-certificates $*" >>"$STANDIN_LOG"
                r=$VMTRUST_ROOT
                PATH=/usr/sbin:/usr/bin:/sbin:/bin exec %s "$@" --certsconf "$r/etc/ca-certificates.conf" \
                  --certsdir "$r/usr/share/ca-certificates" --localcertsdir "$r/usr/local/share/ca-certificates" \
                  --etccertsdir "$r/etc/ssl/certs" --hooksdir "$r/etc/ca-certificates/update.d"
                """.formatted(real));
        return this;
    }

    /** Writes a stand-in configuration file (see {@link StandIns}); {@code null} deletes it. */
    ScriptHarness set(String name, String content) throws IOException {
        if (content == null) Files.deleteIfExists(cfg.resolve(name));
        else Files.writeString(cfg.resolve(name), content);
        return this;
    }

    /** The SSH user as sudo sets it, with a user runtime folder so that user units are probed. */
    ScriptHarness sudoUser(String name, int uid) throws IOException {
        env.put("SUDO_USER", name);
        env.put("SUDO_UID", Integer.toString(uid));
        Files.createDirectories(root.resolve("run/user/" + uid));
        return this;
    }

    Path certDir() {
        return root.resolve("usr/local/share/ca-certificates");
    }

    Path stamp() {
        return root.resolve("etc/vmtrust/bundle.sha256");
    }

    Path pendingFile() {
        return root.resolve("etc/vmtrust/restart-pending");
    }

    /** As the host runs it over SSH: {@code sh -s -- ARGS} with the script on stdin. */
    Run ssh(String script, String... args) throws Exception {
        List<String> argv = new ArrayList<>(shell.argv);
        argv.add("-s");
        argv.add("--");
        argv.addAll(List.of(args));
        return exec(argv, script.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #ssh} for lambdas. */
    Run sshUnchecked(String script, String... args) {
        try {
            return ssh(script, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * As Lima's boot.sh runs a provision script: an executable file without a shebang (line 1 is
     * our marker), started as {@code "$f"} by a shell, which runs it as a shell script (ENOEXEC).
     */
    Run provision(String script) throws Exception {
        Path f = cfg.resolve("provision.sh");
        Files.writeString(f, script);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        List<String> argv = new ArrayList<>(shell.argv);
        argv.addAll(List.of("-c", "\"$0\"", f.toString()));
        return exec(argv, new byte[0]);
    }

    private Run exec(List<String> argv, byte[] stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = outDir.resolve("stdout"), err = outDir.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("script hung");
        }
        String o = Files.readString(out), e = Files.readString(err);
        return new Run(o, e, p.exitValue(), ScriptOutput.parse(o, e, p.exitValue()));
    }

    /** The stand-in calls so far, one {@code name args} line each. */
    List<String> calls() throws IOException {
        return Files.readAllLines(log);
    }
    /** The calls of one program. */
    List<String> calls(String program) throws IOException {
        return calls().stream().filter(c -> c.startsWith(program + " ")).toList();
    }

    void clearCalls() throws IOException {
        Files.writeString(log, "");
    }

    private static void standin(Path dir, String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
