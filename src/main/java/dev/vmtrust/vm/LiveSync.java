package dev.vmtrust.vm;

import dev.vmtrust.config.Config.RestartPolicy;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.RemoteShell;
import dev.vmtrust.ssh.SshConfigFile;
import dev.vmtrust.ssh.SshConnector;
import dev.vmtrust.ssh.SshEndpoint;
import dev.vmtrust.ssh.SshException;
import dev.vmtrust.ssh.VmHints;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.script.ScriptOutput;
import dev.vmtrust.vm.script.ScriptResult;
import dev.vmtrust.vm.script.VmScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live part of a target. A set whose script is at most {@link #ONE_EXEC_MAX} long takes one round trip
 * whether or not anything changed: the in-VM script gets the whole set, compares its stamp and files itself and
 * answers "unchanged" or applies. A larger set, and a dry run, observe first (no PEMs sent), plan, then apply
 * only the plan, carrying only the PEMs the VM lacks. One SSH session per VM per reconcile.
 * Never throws for one broken VM: every failure becomes a {@link LiveResult.Failed} with a next step.
 */
public final class LiveSync {
    private static final Logger log = LoggerFactory.getLogger(LiveSync.class);
    /**
     * The longest script sent whole every round (about 150 CAs): sending it costs less than a second round trip;
     * above it, a no-change round sends a few KB instead of the whole set.
     */
    static final int ONE_EXEC_MAX = 256 * 1024;

    static final String KEPT_HINT = "containers created while containers.inject was on still use vmtrust's runtime,"
            + " so it stays in the VM as a passthrough (/etc/vmtrust/runtime); once they are removed, run"
            + " vmtrust uninstall --purge again";
    private final SshConnector connector;
    private final VmLiveness liveness;
    private final Environment env;
    private final Duration commandTimeout;
    private final int oneExecMax;

    public LiveSync(SshConnector connector, VmLiveness liveness, Environment env, Duration commandTimeout) {
        this(connector, liveness, env, commandTimeout, ONE_EXEC_MAX);
    }

    /** {@code oneExecMax}: see {@link #ONE_EXEC_MAX}; tests pass 0 to take the observe-first path with a small set. */
    LiveSync(SshConnector connector, VmLiveness liveness, Environment env, Duration commandTimeout, int oneExecMax) {
        this.oneExecMax = oneExecMax;
        this.connector = connector;
        this.liveness = liveness;
        this.env = env;
        this.commandTimeout = commandTimeout;
    }

    /** {@code script} is {@link VmScript#render(CaBundle)} of {@code bundle}. */
    public LiveResult sync(TargetRef t, CaBundle bundle, String script, RestartPolicy policy, boolean dryRun) {
        VmLiveness.Status ha = liveness.status(t);
        if (ha.refused() != null) return new LiveResult.Failed(VmState.UNREACHABLE, ha.refused(), null);
        if (!ha.running()) return new LiveResult.Stopped();
        SshEndpoint ep;
        try {
            ep = SshConfigFile.read(t.sshConfig(), t.name(), env);
        } catch (SshException e) {
            return new LiveResult.Failed(VmState.UNREACHABLE, e.getMessage(), null);
        }
        try (RemoteShell sh = connector.connect(ep, t.name())) {
            String apply = VmScript.command(VmScript.Mode.APPLY, policy);
            if (!dryRun && script.length() <= oneExecMax) {
                // one round trip: the script compares stamp and files itself and answers "unchanged"
                ScriptResult done = run(sh, apply, script);
                if (!done.ok()) return scriptFailed(t, done);
                return applied(t, done, policy);
            }
            // Observing needs no PEMs: the stamp and the file names decide (a few KB, not MBs, per round).
            ScriptResult seen =
                    run(sh, VmScript.command(VmScript.Mode.OBSERVE, policy), VmScript.withoutCertificates());
            if (seen.error().isPresent()) return scriptFailed(t, seen);
            LivePlan plan = Planner.plan(bundle, observation(seen));
            log.debug("{}: plan {}", t.name(), plan);
            if (plan instanceof LivePlan.InSync && VmScript.containersInSync(script, seen))
                return new LiveResult.Unchanged();
            if (dryRun) return wouldUpdate(plan);
            ScriptResult done = run(sh, apply, push(bundle, script, plan));
            if (needsAll(done)) done = run(sh, apply, script); // a file vanished since observe: send every PEM
            if (!done.ok()) return scriptFailed(t, done);
            return applied(t, done, policy);
        } catch (SshException e) {
            return new LiveResult.Failed(e.unreachable() ? VmState.UNREACHABLE : VmState.RUNNING, e.getMessage(), null);
        }
    }

    /**
     * Removes every vmtrust-owned CA file and the stamp from a running VM and runs the trust update
     * (uninstall --purge). A stopped VM is skipped: its provision entry is removed separately.
     */
    public LiveResult remove(TargetRef t) {
        VmLiveness.Status ha = liveness.status(t);
        if (ha.refused() != null) return new LiveResult.Failed(VmState.UNREACHABLE, ha.refused(), null);
        if (!ha.running()) return new LiveResult.Stopped();
        try {
            SshEndpoint ep = SshConfigFile.read(t.sshConfig(), t.name(), env);
            try (RemoteShell sh = connector.connect(ep, t.name())) {
                ScriptResult r = run(sh, VmScript.command(VmScript.Mode.REMOVE, null), VmScript.withoutCertificates());
                if (!r.ok()) return scriptFailed(t, r);
                String hint = r.containers()
                        .filter("kept"::equals)
                        .map(k -> KEPT_HINT)
                        .orElse(null);
                return r.removed().isEmpty() && !r.containersChanged()
                        ? new LiveResult.Unchanged(hint)
                        : new LiveResult.Updated(0, r.removed().size(), List.of(), hint);
            }
        } catch (SshException e) {
            return new LiveResult.Failed(e.unreachable() ? VmState.UNREACHABLE : VmState.RUNNING, e.getMessage(), null);
        }
    }

    private ScriptResult run(RemoteShell sh, String command, String stdin) throws SshException {
        ExecResult r = sh.exec(command, stdin, commandTimeout);
        return ScriptOutput.parse(r.stdout(), r.stderr(), r.exitCode(), r.stdoutDropped());
    }

    /** Only the PEMs the VM lacks (a one-CA rotation sends one PEM, not thousands). */
    private static String push(CaBundle bundle, String full, LivePlan plan) {
        List<String> add = plan instanceof LivePlan.Change c ? c.add() : List.of();
        return add.size() == bundle.certs().size()
                ? full
                : VmScript.renderCarrying(bundle, Set.copyOf(add), VmScript.injectsContainers(full));
    }

    private static boolean needsAll(ScriptResult r) {
        return r.error().map(e -> e.code().equals("needs-certificates")).orElse(false);
    }

    static VmObservation observation(ScriptResult seen) {
        Set<String> files = new HashSet<>(seen.files());
        // a file whose content differs counts as missing, so the plan rewrites it
        files.removeAll(seen.differs());
        Optional<String> stamp = seen.stamp().filter(s -> !s.equals("none"));
        return new VmObservation(stamp, files, seen.restartPendingRecorded());
    }

    private static LiveResult wouldUpdate(LivePlan plan) {
        int add = plan instanceof LivePlan.Change c ? c.add().size() : 0;
        int rm = plan instanceof LivePlan.Change c ? c.remove().size() : 0;
        List<String> pending = plan instanceof LivePlan.FinishRestart f ? f.engines() : List.of();
        return new LiveResult.WouldUpdate(add, rm, pending);
    }

    private static LiveResult applied(TargetRef t, ScriptResult r, RestartPolicy policy) {
        int added = r.added().size() + r.repaired().size();
        boolean recorded = !r.restartPendingRecorded().isEmpty();
        List<String> pending = new ArrayList<>(recorded ? r.restartPendingRecorded() : r.pending());
        r.manual().stream().filter(e -> !pending.contains(e)).forEach(pending::add);
        String now = "; to restart now: vmtrust sync --restart always --target " + t.name();
        // restart: never records nothing in the VM, so no later sync restarts: say so.
        String hint = pending.isEmpty()
                ? null
                : !r.manual().isEmpty()
                        ? manualHint(t, r.manual())
                        : policy == RestartPolicy.NEVER
                                ? String.join(", ", pending) + (pending.size() == 1 ? " keeps" : " keep")
                                        + " the old roots until you restart " + (pending.size() == 1 ? "it" : "them")
                                        + " (restart: never)" + now
                                : "the next sync restarts " + String.join(", ", pending) + " once no container runs"
                                        + now;
        if (!pending.isEmpty())
            return new LiveResult.PendingRestart(
                    added,
                    r.removed().size(),
                    r.restarted(),
                    pending,
                    Math.max(0, r.containersRunning()),
                    recorded && r.manual().isEmpty(),
                    hint);
        if (r.storeChanged() || r.containersChanged() || !r.restarted().isEmpty())
            return new LiveResult.Updated(added, r.removed().size(), r.restarted());
        return new LiveResult.Unchanged();
    }

    /** Engines no init in the VM manages (no systemd, OpenRC or SysV script): only the user can restart them. */
    private static String manualHint(TargetRef t, List<String> manual) {
        List<String> daemons = manual.stream()
                .map(e -> switch (e) {
                    case "docker" -> "dockerd";
                    case "buildkit" -> "buildkitd";
                    default -> e;
                })
                .toList();
        return String.join(", ", daemons) + (daemons.size() == 1 ? " runs" : " run")
                + " outside any init vmtrust knows:" + " restart " + (daemons.size() == 1 ? "it" : "them")
                + " yourself (e.g. " + VmHints.restart(t.name()) + ")";
    }

    private static LiveResult scriptFailed(TargetRef t, ScriptResult r) {
        var err = r.error().orElseThrow(() -> new IllegalStateException("no error"));
        String hint = switch (err.code()) {
            case "sudo-password" -> "allow passwordless sudo for the VM user, or recreate the VM with " + t.startHint();
            case "lock-timeout" -> "another vmtrust run is busy in the VM; try again in a minute";
            default -> null;
        };
        return new LiveResult.Failed(VmState.RUNNING, t.name() + ": " + err.message(), hint);
    }
}
