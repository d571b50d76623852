package dev.vmtrust.vm.script;

import dev.vmtrust.platform.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses what the in-VM script printed. Stdout lines that do not start with {@code "vmtrust: "} are
 * ignored, and so are unknown keywords (newer scripts may add facts). Grammar, one fact per line:
 * <pre>
 * vmtrust: distro debian|alpine|rhel|suse|arch
 * vmtrust: stamp HEX64|none                 observe
 * vmtrust: file FP16                        observe, each owned file present
 * vmtrust: differs FP16                     observe, content differs from the script's
 * vmtrust: added FP16 | repaired FP16 | removed FP16
 * vmtrust: unchanged
 * vmtrust: trust-updated
 * vmtrust: engines ENGINE[,ENGINE...]|none  ENGINE = [user:]docker|containerd|buildkit|k3s
 * vmtrust: restarted ENGINE | restart-failed ENGINE
 * vmtrust: pending ENGINE containers=N|?
 * vmtrust: manual ENGINE                    runs outside any init the script knows: not restarted
 * vmtrust: restart-pending ENGINE           the record after the run
 * vmtrust: done HEX64|none                  last line of a completed run: the stamp now
 * vmtrust: error CODE MESSAGE               also a human message on stderr; exit non-zero
 * vmtrust: containers STATE                 containers.inject, when anything of it is installed or asked for:
 *                                           on HEX16|on none|none|broken|no-python|blocked NAME|kept|unused
 * vmtrust: containers-changed               this run changed the containers part
 * </pre>
 */
public final class ScriptOutput {
    /** The message for {@code sudo -n} refusing because the VM's sudo wants a password. */
    public static final String SUDO_PASSWORD_MESSAGE =
            "sudo in the VM asks for a password; vmtrust needs passwordless sudo (Lima and Colima set it up by default)";

    private static final String PREFIX = "vmtrust: ";
    private static final Pattern FP16 = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern STAMP = Pattern.compile("[0-9a-f]{64}|none");
    private static final Pattern ENGINE = Pattern.compile("(user:)?[a-z0-9]+");
    private static final Pattern DISTRO = Pattern.compile("debian|alpine|rhel|suse|arch");
    private static final Pattern PENDING = Pattern.compile("((?:user:)?[a-z0-9]+) containers=([0-9]{1,9}|\\?)");
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern CONTAINERS =
            Pattern.compile("on (?:[0-9a-f]{16}|none)|none|broken|no-python|blocked [A-Za-z0-9._-]{1,64}|kept|unused");

    private ScriptOutput() {}

    /** True when stderr is sudo saying that {@code -n} cannot go on without a password. */
    public static boolean asksForPassword(String stderr) {
        return stderr != null
                && (stderr.contains("a password is required")
                        || stderr.contains("a terminal is required to read the password"));
    }

    public static ScriptResult parse(CommandResult r) {
        return parse(r.stdout(), r.stderr(), r.exitCode());
    }

    public static ScriptResult parse(String stdout, String stderr, int exit) {
        return parse(stdout, stderr, exit, 0);
    }

    /**
     * {@code stdoutDropped}: bytes of stdout the SSH layer did not keep (see ExecResult). Facts may be
     * among them, so such a run is a failure ({@code output-truncated}) unless the script said why it failed.
     */
    public static ScriptResult parse(String stdout, String stderr, int exit, long stdoutDropped) {
        var b = new Builder();
        for (String line : (stdout == null ? "" : stdout).split("\n", -1)) {
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.startsWith(PREFIX)) b.line(line.substring(PREFIX.length()));
        }
        boolean sudo = exit != 0 && b.scriptError == null && asksForPassword(stderr);
        ScriptError err = b.scriptError;
        if (err == null && sudo) err = new ScriptError("sudo-password", SUDO_PASSWORD_MESSAGE);
        if (err == null && stdoutDropped > 0) {
            err = new ScriptError(
                    "output-truncated",
                    "the VM printed " + stdoutDropped + " bytes more on stdout than"
                            + " vmtrust keeps, so this run's result is not trusted; something in the VM prints on every"
                            + " command (shell profile, sudo lecture?)");
        }
        if (err == null && exit != 0) {
            String tail = CommandResult.tail(stderr == null ? "" : stderr, 3);
            err = new ScriptError("failed", "the script exited " + exit + (tail.isEmpty() ? "" : ": " + tail));
        }
        if (err == null && b.badOutput != null) err = new ScriptError("bad-output", b.badOutput);
        if (err == null && b.done == null)
            err = new ScriptError("incomplete", "the script ended without its done line");
        return new ScriptResult(
                Optional.ofNullable(b.distro),
                b.added,
                b.repaired,
                b.removed,
                b.trustUpdated,
                b.unchanged,
                Optional.ofNullable(b.stamp),
                b.files,
                b.differs,
                b.engines,
                b.restarted,
                b.restartFailed,
                b.pending,
                b.manual,
                b.containers,
                b.recorded,
                Optional.ofNullable(b.done),
                Optional.ofNullable(err),
                exit,
                sudo,
                Optional.ofNullable(b.ctState),
                b.containersChanged);
    }

    private static final class Builder {
        String distro, stamp, done, badOutput, ctState;
        ScriptError scriptError;
        boolean trustUpdated, unchanged, unknownCount, containersChanged;
        int containers;
        final List<String> added = new ArrayList<>(),
                repaired = new ArrayList<>(),
                removed = new ArrayList<>(),
                files = new ArrayList<>(),
                differs = new ArrayList<>(),
                engines = new ArrayList<>(),
                restarted = new ArrayList<>(),
                restartFailed = new ArrayList<>(),
                pending = new ArrayList<>(),
                manual = new ArrayList<>(),
                recorded = new ArrayList<>();

        void line(String fact) {
            int sp = fact.indexOf(' ');
            String key = sp < 0 ? fact : fact.substring(0, sp);
            String arg = sp < 0 ? "" : fact.substring(sp + 1);
            switch (key) {
                case "distro" -> distro = check(DISTRO, arg, key);
                case "stamp" -> stamp = check(STAMP, arg, key);
                case "done" -> done = check(STAMP, arg, key);
                case "file" -> add(files, FP16, arg, key);
                case "differs" -> add(differs, FP16, arg, key);
                case "added" -> add(added, FP16, arg, key);
                case "repaired" -> add(repaired, FP16, arg, key);
                case "removed" -> add(removed, FP16, arg, key);
                case "unchanged" -> unchanged = true;
                case "trust-updated" -> trustUpdated = true;
                case "engines" -> {
                    if (!arg.equals("none")) for (String e : arg.split(",", -1)) add(engines, ENGINE, e, key);
                }
                case "restarted" -> add(restarted, ENGINE, arg, key);
                case "restart-failed" -> add(restartFailed, ENGINE, arg, key);
                case "restart-pending" -> add(recorded, ENGINE, arg, key);
                case "pending" -> pending(arg);
                case "manual" -> add(manual, ENGINE, arg, key);
                case "error" -> error(arg);
                case "containers" -> ctState = check(CONTAINERS, arg, key);
                case "containers-changed" -> containersChanged = true;
                default -> {} // a fact this version does not know
            }
        }

        private void pending(String arg) {
            var m = PENDING.matcher(arg);
            if (!m.matches()) {
                bad("pending", arg);
                return;
            }
            pending.add(m.group(1));
            if (m.group(2).equals("?")) unknownCount = true;
            else containers = Math.max(containers, Integer.parseInt(m.group(2)));
            if (unknownCount) containers = -1;
        }

        private void error(String arg) {
            if (scriptError != null) return;
            int sp = arg.indexOf(' ');
            String code = sp < 0 ? arg : arg.substring(0, sp);
            String message = sp < 0 ? "" : arg.substring(sp + 1);
            scriptError =
                    CODE.matcher(code).matches() ? new ScriptError(code, message) : new ScriptError("failed", arg);
        }

        private String check(Pattern p, String value, String key) {
            if (p.matcher(value).matches()) return value;
            bad(key, value);
            return null;
        }

        private void add(List<String> to, Pattern p, String value, String key) {
            String v = check(p, value, key);
            if (v != null) to.add(v);
        }

        private void bad(String key, String value) {
            if (badOutput == null) badOutput = "malformed \"" + key + "\" line from the script: " + value;
        }
    }
}
