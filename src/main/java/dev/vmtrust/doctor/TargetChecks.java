package dev.vmtrust.doctor;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.RemoteShell;
import dev.vmtrust.ssh.SshConfigFile;
import dev.vmtrust.ssh.SshConnector;
import dev.vmtrust.ssh.SshEndpoint;
import dev.vmtrust.ssh.SshException;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.VmLiveness;
import dev.vmtrust.vm.script.ScriptOutput;
import dev.vmtrust.vm.script.ScriptResult;
import dev.vmtrust.vm.script.VmScript;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of one target, in this order: {@code target-state}, {@code ssh-config}, {@code ssh-key},
 * {@code ssh}, {@code sudo}, {@code trust-tool}, {@code stamp}, {@code restart-pending}, {@code containers}
 * (containers.inject on, or its passthrough still in the VM), {@code persisted}, {@code probe-vm}. A stopped VM gets only target-state and persisted; a check that fails skips the
 * checks that need it. ONE SSH session per running VM, two commands: the in-VM script in observe mode
 * (under {@code sudo -n}, read-only) and {@link VmProbeScript} (as the SSH user), plus {@link ContainerChecks}'
 * proof (one throwaway container) when injection is on. Never throws.
 */
final class TargetChecks {
    static final Duration OBSERVE_TIMEOUT = Duration.ofSeconds(60);
    /** The containers proof runs at most five throwaway containers. */
    static final Duration PROOF_TIMEOUT = Duration.ofSeconds(120);

    private final SshConnector connector;
    private final VmLiveness liveness;
    private final Environment env;
    private final Duration commandTimeout;
    private final VmChecks vm;

    TargetChecks(SshConnector connector, VmLiveness liveness, Environment env, Duration commandTimeout, VmChecks vm) {
        this.connector = connector;
        this.liveness = liveness;
        this.env = env;
        this.commandTimeout = commandTimeout;
        this.vm = vm;
    }

    /** {@code script}: the rendered in-VM script of {@code set} ({@link VmScript#withoutCertificates()} when empty). */
    List<Check> check(TargetRef t, CaBundle set, String script, List<URI> probes) {
        String n = t.name();
        List<Check> out = new ArrayList<>();
        if (!liveness.isRunning(t)) {
            out.add(Check.ok("target-state", n, "stopped; checked when it runs"));
            out.add(vm.persisted(t, set, script));
            return out;
        }
        out.add(Check.ok("target-state", n, "running"));
        SshEndpoint ep = sshConfig(t, out);
        if (ep != null && sshKey(t, out)) {
            try (RemoteShell sh = connector.connect(ep, n)) {
                out.add(Check.ok("ssh", n, "reachable as " + ep.user() + "@" + ep.address()));
                live(sh, t, set, script, probes, out);
                return out;
            } catch (SshException e) {
                out.add(sshFailed("ssh", n, e));
            }
        }
        out.add(vm.persisted(t, set, script));
        return out;
    }

    private void live(RemoteShell sh, TargetRef t, CaBundle set, String script, List<URI> probes, List<Check> out) {
        String n = t.name();
        ScriptResult seen = null;
        try {
            ExecResult r = sh.exec(
                    VmScript.command(VmScript.Mode.OBSERVE, null), script, min(commandTimeout, OBSERVE_TIMEOUT));
            seen = ScriptOutput.parse(r.stdout(), r.stderr(), r.exitCode(), r.stdoutDropped());
        } catch (SshException e) {
            out.add(Check.fail("stamp", n, "cannot observe the VM: " + strip(e.getMessage(), n), t.restartHint()));
        }
        List<URI> safe = probes.stream().filter(ProbeChecks::safeForVm).toList();
        String family = seen == null ? null : seen.distro().orElse(null);
        VmProbeScript.Result probed = null;
        String probeProblem = null;
        if (family != null || !safe.isEmpty()) {
            try {
                ExecResult r = sh.exec(
                        VmProbeScript.command(family),
                        VmProbeScript.stdin(safe),
                        min(commandTimeout, Duration.ofSeconds(10L + 7L * safe.size())));
                probed = VmProbeScript.parse(r.stdout());
            } catch (SshException e) {
                probeProblem = strip(e.getMessage(), n);
            }
        }
        if (seen != null) out.addAll(vm.observed(t, seen, set, probed, probeProblem));
        if (seen != null && seen.error().isEmpty()) {
            ContainerChecks.check(sh, t, script, seen, min(commandTimeout, PROOF_TIMEOUT))
                    .ifPresent(out::add);
        }
        out.add(vm.persisted(t, set, script));
        int i = 0;
        for (URI u : probes) {
            if (!ProbeChecks.safeForVm(u)) {
                out.add(Check.warn(
                        ProbeChecks.VM,
                        n,
                        u + ": not probed: the URL has characters vmtrust does not pass to a VM",
                        "write the URL with plain characters (percent-encode the rest)"));
                continue;
            }
            i++;
            VmProbeScript.Answer a = probed == null ? null : probed.probes().get(i);
            if (a != null) out.add(ProbeChecks.vm(n, u, a.code(), a.text()));
            else
                out.add(Check.warn(
                        ProbeChecks.VM,
                        n,
                        u + ": not probed: "
                                + (probeProblem != null ? probeProblem : "the probe script gave no answer"),
                        null));
        }
    }

    /** Reads and parses ssh.config; adds the {@code ssh-config} check; null when it failed. */
    private SshEndpoint sshConfig(TargetRef t, List<Check> out) {
        Path f = t.sshConfig();
        String text;
        try {
            text = dev.vmtrust.platform.BoundedFiles.readString(
                    f, dev.vmtrust.platform.BoundedFiles.SSH_CONFIG, "an ssh.config");
        } catch (NoSuchFileException e) {
            out.add(Check.fail("ssh-config", t.name(), f + " does not exist, although the VM runs", t.restartHint()));
            return null;
        } catch (IOException e) {
            out.add(Check.fail(
                    "ssh-config",
                    t.name(),
                    f + ": cannot read it (" + e.getMessage() + ")",
                    "check its owner and permissions"));
            return null;
        }
        try {
            SshEndpoint ep = SshConfigFile.parse(text, f, t.name(), env);
            out.add(Check.ok("ssh-config", t.name(), f + ": " + ep.user() + "@" + ep.address()));
            return ep;
        } catch (SshException e) {
            out.add(sshFailed("ssh-config", t.name(), e));
            return null;
        }
    }

    /** The key named in ssh.config exists and is readable; adds the {@code ssh-key} check. */
    private boolean sshKey(TargetRef t, List<Check> out) {
        try {
            SshEndpoint ep = SshConfigFile.read(t.sshConfig(), t.name(), env);
            out.add(Check.ok("ssh-key", t.name(), ep.identityFile() + " is readable"));
            return true;
        } catch (SshException e) {
            out.add(sshFailed("ssh-key", t.name(), e));
            return false;
        }
    }

    /** An SSH message "NAME: what; try: CMD" (or "what? try: CMD") becomes message "what" and hint "CMD". */
    static Check sshFailed(String id, String target, SshException e) {
        String m = strip(e.getMessage(), target);
        String hint = null;
        int at = m.lastIndexOf(" try: ");
        if (at >= 0) {
            hint = m.substring(at + " try: ".length());
            m = m.substring(0, at);
            if (m.endsWith(";")) m = m.substring(0, m.length() - 1);
        } else if (e.kind() == SshException.Kind.POLICY) {
            hint = "add the host to ssh.allowHosts in the config if you trust the network path to it";
        } else if (m.endsWith("; check its owner and permissions")) {
            hint = "check its owner and permissions";
            m = m.substring(0, m.length() - hint.length() - 2);
        }
        return Check.fail(id, target, m, hint);
    }

    /** Drops a leading "colima/default: " from a message. */
    static String strip(String message, String target) {
        String m = message == null ? "" : message;
        return m.startsWith(target + ": ") ? m.substring(target.length() + 2) : m;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
