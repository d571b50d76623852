package dev.vmtrust.doctor;

import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.RemoteShell;
import dev.vmtrust.ssh.SshException;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.script.ScriptResult;
import dev.vmtrust.vm.script.VmScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code containers} check of one running VM (containers.inject, README "Containers and builds"): whether
 * injection is active, proven by a throwaway container from an image already in the VM
 * ({@code containers-probe.sh}: {@code docker run --rm --pull never}, never a pull) that must see the bundle, as
 * uid 65534. No check when inject is off and nothing of it is in the VM.
 */
final class ContainerChecks {
    static final String ID = "containers";
    static final String SCRIPT = load();
    static final String COMMAND = "sudo -n /bin/sh -s";
    private static final Pattern DEFAULT = Pattern.compile("(?m)^vmtrust: ct-default ([A-Za-z0-9._-]{1,64})$");
    private static final Pattern BUILDS = Pattern.compile("(?m)^vmtrust: ct-builds (yes|no)$");
    private static final Pattern PROBE =
            Pattern.compile("(?m)^vmtrust: ct-probe (ok|missing|no-image|no-docker|docker-down)(?: ([0-9a-f]{12}))?$");

    /** What the probe script printed; {@code probe} empty when it printed no verdict. */
    record Proof(Optional<String> defaultRuntime, boolean builds, Optional<String> probe, Optional<String> image) {}

    private ContainerChecks() {}

    /** The check for {@code t}, or empty when there is nothing to say; {@code seen} is its observe run. */
    static Optional<Check> check(RemoteShell sh, TargetRef t, String script, ScriptResult seen, Duration timeout) {
        boolean want = VmScript.injectsContainers(script);
        Optional<String> state = seen.containers();
        String n = t.name();
        if (!want) {
            if (state.isEmpty()) return Optional.empty();
            return Optional.of(
                    switch (state.get()) {
                        case "kept" ->
                            Check.ok(
                                    ID,
                                    n,
                                    "containers.inject is off; vmtrust's runtime stays in the VM as a"
                                            + " passthrough for containers created while it was on, and goes once they are removed");
                        case "unused" ->
                            Check.warn(
                                    ID,
                                    n,
                                    "containers.inject is off, but its files are still in the VM",
                                    "vmtrust sync (removes them)");
                        default ->
                            Check.fail(
                                    ID,
                                    n,
                                    "containers.inject is off, but the VM still injects (" + state.get() + ")",
                                    "vmtrust sync");
                    });
        }
        if (state.isEmpty()) {
            if (!seen.engines().contains("docker")) {
                return Optional.of(Check.warn(
                        ID,
                        n,
                        "containers.inject is on; docker does not run in this VM, so there"
                                + " is nothing to inject into yet (the provision entry sets it up at the next boot)",
                        null));
            }
            return Optional.of(Check.fail(ID, n, "containers.inject is on, but not set up in this VM", "vmtrust sync"));
        }
        String s = state.get();
        if (s.equals("no-python"))
            return Optional.of(Check.fail(
                    ID,
                    n,
                    "containers.inject needs python3 in the VM, and it is" + " missing",
                    "install it (Ubuntu: sudo apt-get install -y python3-minimal), or set containers.inject: false"));
        if (s.startsWith("blocked "))
            return Optional.of(
                    Check.fail(
                            ID,
                            n,
                            "dockerd's default runtime is set to " + s.substring(8)
                                    + " in /etc/docker/daemon.json, so vmtrust does not inject",
                            "remove default-runtime from the VM's docker config (Colima: docker: in colima.yaml), or set containers.inject: false"));
        if (!s.equals("on " + VmScript.CONTAINERS_VERSION)) {
            return Optional.of(Check.fail(
                    ID,
                    n,
                    "containers.inject is on, but the VM's part is "
                            + (s.startsWith("on ") ? "from another vmtrust version" : s),
                    "vmtrust sync"));
        }
        Proof p;
        try {
            ExecResult r = sh.exec(COMMAND, SCRIPT, timeout);
            p = parse(r.stdout());
        } catch (SshException e) {
            return Optional.of(Check.warn(
                    ID,
                    n,
                    "injection is set up, but the proof could not run: " + TargetChecks.strip(e.getMessage(), n),
                    null));
        }
        return Optional.of(judge(n, p));
    }

    static Check judge(String n, Proof p) {
        String probe = p.probe().orElse("none");
        switch (probe) {
            case "no-docker", "docker-down" -> {
                return Check.warn(
                        ID, n, "injection is set up, but docker does not answer in the VM, so it is not proven", null);
            }
            default -> {}
        }
        String runtime = p.defaultRuntime().orElse("unknown");
        if (!runtime.equals("vmtrust")) {
            return Check.fail(
                    ID,
                    n,
                    "injection is set up, but dockerd's default runtime is " + runtime + ", not vmtrust",
                    "vmtrust sync");
        }
        String builds = p.builds()
                ? "; build steps too (BuildKit and the legacy builder)"
                : "; BuildKit steps only after dockerd restarts (it was started before vmtrust's drop-in)";
        return switch (probe) {
            case "ok" ->
                p.builds()
                        ? Check.ok(
                                ID,
                                n,
                                "injection active: a throwaway container from image "
                                        + p.image().orElse("?")
                                        + " (uid 65534) sees the bundle at /dev/vmtrust and SSL_CERT_FILE" + builds)
                        : Check.warn(
                                ID,
                                n,
                                "injection active for containers: a throwaway container from image "
                                        + p.image().orElse("?") + " sees the bundle" + builds,
                                "vmtrust sync --restart always (running containers stop), or restart docker yourself");
            case "missing" ->
                Check.fail(
                        ID,
                        n,
                        "a throwaway container from image " + p.image().orElse("?")
                                + " does not see the bundle at /dev/vmtrust",
                        "look at /var/log/vmtrust-runtime.log in the VM, then vmtrust sync");
            default ->
                Check.warn(
                        ID,
                        n,
                        "injection is set up (dockerd's default runtime is vmtrust), but not proven:"
                                + " no image with /bin/sh in the VM to run a throwaway container from",
                        "pull or build any image with a shell, then run vmtrust doctor again");
        };
    }

    static Proof parse(String stdout) {
        String out = stdout == null ? "" : stdout;
        Matcher d = DEFAULT.matcher(out), b = BUILDS.matcher(out), p = PROBE.matcher(out);
        boolean probed = p.find();
        return new Proof(
                d.find() ? Optional.of(d.group(1)) : Optional.empty(),
                b.find() && b.group(1).equals("yes"),
                probed ? Optional.of(p.group(1)) : Optional.empty(),
                probed ? Optional.ofNullable(p.group(2)) : Optional.empty());
    }

    private static String load() {
        try (InputStream in = ContainerChecks.class.getResourceAsStream("containers-probe.sh")) {
            if (in == null) throw new IllegalStateException("missing resource containers-probe.sh");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
