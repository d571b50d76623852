package dev.vmtrust.vm;

import dev.vmtrust.config.Config.RestartPolicy;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.reconcile.LivePlan;
import dev.vmtrust.reconcile.Planner;
import dev.vmtrust.reconcile.TargetReport.Result;
import dev.vmtrust.reconcile.TargetReport.State;
import dev.vmtrust.reconcile.VmObservation;
import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.RemoteShell;
import dev.vmtrust.ssh.SshConfigFile;
import dev.vmtrust.ssh.SshConnector;
import dev.vmtrust.ssh.SshEndpoint;
import dev.vmtrust.ssh.SshException;
import dev.vmtrust.ssh.VmHints;
import dev.vmtrust.vm.script.ScriptOutput;
import dev.vmtrust.vm.script.ScriptResult;
import dev.vmtrust.vm.script.VmScript;
import dev.vmtrust.trust.CaBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live part of a target: observe the running VM, plan, apply only the plan. One SSH session per
 * VM per reconcile; two round trips when something changes (observe, apply), one when nothing does.
 * Never throws for one broken VM: every failure becomes a {@link LiveOutcome} with a next step.
 */
public final class LiveSync {
    private static final Logger log = LoggerFactory.getLogger(LiveSync.class);
    static final String KEPT_HINT = "containers created while containers.inject was on still use vmtrust's runtime,"
            + " so it stays in the VM as a passthrough (/etc/vmtrust/runtime); once they are removed, run"
            + " vmtrust uninstall --purge again";
    private final SshConnector connector;
    private final HostAgent hostAgent;
    private final Environment env;
    private final Duration commandTimeout;

    public LiveSync(SshConnector connector, HostAgent hostAgent, Environment env, Duration commandTimeout) {
        this.connector = connector;
        this.hostAgent = hostAgent;
        this.env = env;
        this.commandTimeout = commandTimeout;
    }

    /** {@code script} is {@link VmScript#render(CaBundle)} of {@code bundle}. */
    public LiveOutcome sync(TargetRef t, CaBundle bundle, String script, RestartPolicy policy, boolean dryRun) {
        HostAgent.Status ha = hostAgent.status(t);
        if (ha.refused() != null) return LiveOutcome.failed(State.UNREACHABLE, ha.refused(), null);
        if (!ha.running()) return LiveOutcome.stopped();
        SshEndpoint ep;
        try {
            ep = SshConfigFile.read(t.sshConfig(), t.name(), env);
        } catch (SshException e) {
            return LiveOutcome.failed(State.UNREACHABLE, e.getMessage(), null);
        }
        try (RemoteShell sh = connector.connect(ep, t.name())) {
            // Observing needs no PEMs: the stamp and the file names decide (a few KB, not MBs, per round).
            ScriptResult seen = run(sh, VmScript.command(VmScript.Mode.OBSERVE, policy), VmScript.withoutCertificates());
            if (seen.error().isPresent()) return scriptFailed(t, seen);
            LivePlan plan = Planner.plan(bundle, observation(seen));
            log.debug("{}: plan {}", t.name(), plan);
            if (plan instanceof LivePlan.InSync && VmScript.containersInSync(script, seen)) return LiveOutcome.unchanged();
            if (dryRun) return wouldUpdate(plan);
            String apply = VmScript.command(VmScript.Mode.APPLY, policy);
            ScriptResult done = run(sh, apply, push(bundle, script, plan));
            if (needsAll(done)) done = run(sh, apply, script); // a file vanished since observe: send every PEM
            if (!done.ok()) return scriptFailed(t, done);
            return applied(t, done, policy);
        } catch (SshException e) {
            State state = e.unreachable() ? State.UNREACHABLE : State.RUNNING;
            return LiveOutcome.failed(state, e.getMessage(), null);
        }
    }

    /**
     * Removes every vmtrust-owned CA file and the stamp from a running VM and runs the trust update
     * (uninstall --purge). A stopped VM is skipped: its provision entry is removed separately.
     */
    public LiveOutcome remove(TargetRef t) {
        HostAgent.Status ha = hostAgent.status(t);
        if (ha.refused() != null) return LiveOutcome.failed(State.UNREACHABLE, ha.refused(), null);
        if (!ha.running()) return LiveOutcome.stopped();
        try {
            SshEndpoint ep = SshConfigFile.read(t.sshConfig(), t.name(), env);
            try (RemoteShell sh = connector.connect(ep, t.name())) {
                ScriptResult r = run(sh, VmScript.command(VmScript.Mode.REMOVE, null),
                        VmScript.withoutCertificates());
                if (!r.ok()) return scriptFailed(t, r);
                Result result = r.removed().isEmpty() && !r.containersChanged() ? Result.UNCHANGED : Result.UPDATED;
                return new LiveOutcome(State.RUNNING, result, 0, r.removed().size(), List.of(), List.of(), 0, null,
                        r.containers().filter("kept"::equals).map(k -> KEPT_HINT).orElse(null));
            }
        } catch (SshException e) {
            return LiveOutcome.failed(e.unreachable() ? State.UNREACHABLE : State.RUNNING, e.getMessage(), null);
        }
    }

    private ScriptResult run(RemoteShell sh, String command, String stdin) throws SshException {
        ExecResult r = sh.exec(command, stdin, commandTimeout);
        return ScriptOutput.parse(r.stdout(), r.stderr(), r.exitCode(), r.stdoutDropped());
    }

    /** Only the PEMs the VM lacks (a one-CA rotation sends one PEM, not thousands). */
    private static String push(CaBundle bundle, String full, LivePlan plan) {
        List<String> add = plan instanceof LivePlan.Change c ? c.add() : List.of();
        return add.size() == bundle.certs().size() ? full
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

    private static LiveOutcome wouldUpdate(LivePlan plan) {
        int add = plan instanceof LivePlan.Change c ? c.add().size() : 0;
        int rm = plan instanceof LivePlan.Change c ? c.remove().size() : 0;
        List<String> pending = plan instanceof LivePlan.FinishRestart f ? f.engines() : List.of();
        return new LiveOutcome(State.RUNNING, Result.WOULD_UPDATE, add, rm, List.of(), pending, 0, null, null);
    }

    private static LiveOutcome applied(TargetRef t, ScriptResult r, RestartPolicy policy) {
        int added = r.added().size() + r.repaired().size();
        List<String> pending = new ArrayList<>(r.restartPendingRecorded().isEmpty() ? r.pending() : r.restartPendingRecorded());
        r.manual().stream().filter(e -> !pending.contains(e)).forEach(pending::add);
        Result result = !pending.isEmpty() ? Result.PENDING_RESTART
                : r.storeChanged() || r.containersChanged() || !r.restarted().isEmpty() ? Result.UPDATED : Result.UNCHANGED;
        String now = "; to restart now: vmtrust sync --restart always --target " + t.name();
        // restart: never records nothing in the VM, so no later sync restarts: say so.
        String hint = pending.isEmpty() ? null
                : !r.manual().isEmpty() ? manualHint(t, r.manual())
                : policy == RestartPolicy.NEVER ? String.join(", ", pending) + (pending.size() == 1 ? " keeps" : " keep")
                        + " the old roots until you restart " + (pending.size() == 1 ? "it" : "them") + " (restart: never)" + now
                : "the next sync restarts " + String.join(", ", pending) + " once no container runs" + now;
        return new LiveOutcome(State.RUNNING, result, added, r.removed().size(), r.restarted(), pending,
                Math.max(0, r.containersRunning()), null, hint);
    }

    /** Engines no init in the VM manages (no systemd, OpenRC or SysV script): only the user can restart them. */
    private static String manualHint(TargetRef t, List<String> manual) {
        List<String> daemons = manual.stream().map(e -> switch (e) {
            case "docker" -> "dockerd";
            case "buildkit" -> "buildkitd";
            default -> e;
        }).toList();
        return String.join(", ", daemons) + (daemons.size() == 1 ? " runs" : " run") + " outside any init vmtrust knows:"
                + " restart " + (daemons.size() == 1 ? "it" : "them") + " yourself (e.g. " + VmHints.restart(t.name()) + ")";
    }

    private static LiveOutcome scriptFailed(TargetRef t, ScriptResult r) {
        var err = r.error().orElseThrow(() -> new IllegalStateException("no error"));
        String hint = switch (err.code()) {
            case "sudo-password" -> "allow passwordless sudo for the VM user, or recreate the VM with " + t.startHint();
            case "lock-timeout" -> "another vmtrust run is busy in the VM; try again in a minute";
            default -> null;
        };
        return LiveOutcome.failed(State.RUNNING, t.name() + ": " + err.message(), hint);
    }
}
