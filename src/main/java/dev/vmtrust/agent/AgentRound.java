package dev.vmtrust.agent;

import dev.vmtrust.notify.Announcer;
import dev.vmtrust.notify.Outcome;
import dev.vmtrust.notify.TargetStatus;
import dev.vmtrust.reconcile.NoCaFoundException;
import dev.vmtrust.reconcile.Reconcile;
import dev.vmtrust.reconcile.Report;
import dev.vmtrust.reconcile.TargetReport;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.VmState;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's reconcile round (the {@link ReconcileFn} contract): one {@link Reconcile} run with the config's
 * restart policy that leaves the round's skipped targets alone and reports targets still running after
 * {@link Reconcile#AGENT_WAIT} as in flight, finishing them later; then announces transitions (rotation, failure
 * after retries, pending restart). One log line per round says what changed. {@code reconcile} is asked for at
 * the start of every round, so a config reload takes effect in the round it triggers.
 */
final class AgentRound implements ReconcileFn {
    /** Failed rounds in a row after which a target counts as "failed after retries" (about 30 s of backoff). */
    static final int RETRIES_BEFORE_NOTIFY = 5;

    private static final Logger log = LoggerFactory.getLogger("dev.vmtrust.agent");

    private final Supplier<Reconcile> reconcile;
    private final Supplier<Announcer> announcer;
    private final Duration wait;

    AgentRound(Supplier<Reconcile> reconcile, Supplier<Announcer> announcer, Duration wait) {
        this.reconcile = reconcile;
        this.announcer = announcer;
        this.wait = wait;
    }

    @Override
    public RoundResult run(Round round) throws InterruptedException {
        long t0 = System.nanoTime();
        Reconcile r = reconcile.get();
        Reconcile.Result run;
        try {
            run = r.run(Reconcile.Request.agentRound(r.config().restart(), round.skip(), wait, (name, report) -> {
                // a target that outlived the round: its final outcome goes to the loop, its report to the log
                log.info("{} finished late: {}", name, summary(report));
                round.finished(name, outcome(report, round.starting().contains(name)));
            }));
        } catch (NoCaFoundException e) {
            log.warn("{}", e.getMessage());
            return RoundResult.empty();
        } catch (IOException e) {
            log.warn("reconcile failed: {}", e.getMessage());
            return RoundResult.empty();
        }
        Map<String, TargetOutcome> outcomes = new HashMap<>();
        Map<String, TargetStatus> statuses = new HashMap<>();
        for (TargetReport t : run.report().targets()) {
            TargetOutcome o = outcome(t, round.starting().contains(t.name()));
            outcomes.put(t.name(), o);
            statuses.put(t.name(), status(t, round.failuresBefore(t.name()) + 1));
        }
        for (String name : run.inFlight()) outcomes.put(name, TargetOutcome.IN_FLIGHT);
        announcer.get().announce(new Outcome(run.bundle(), statuses));
        log.info(
                "reconcile done in {} ms: {}",
                (System.nanoTime() - t0) / 1_000_000,
                summary(run.report(), run.inFlight()));
        return RoundResult.of(outcomes);
    }

    /** Stopped VMs count as converged, except a VM seen starting: it is retried until SSH answers. */
    static TargetOutcome outcome(TargetReport t, boolean starting) {
        if (t.failed()) return TargetOutcome.FAILED;
        if (t.result() == LiveStatus.PENDING_RESTART) return TargetOutcome.FAILED; // retried until idle
        if (starting && t.state() == VmState.STOPPED) return TargetOutcome.FAILED;
        return TargetOutcome.CONVERGED;
    }

    /** {@code failuresInARow}: counting this round, if it failed (the loop's backoff count is the one count). */
    private static TargetStatus status(TargetReport t, int failuresInARow) {
        if (t.failed()) return TargetStatus.failed(t.error(), failuresInARow >= RETRIES_BEFORE_NOTIFY);
        if (t.result() == LiveStatus.PENDING_RESTART)
            return TargetStatus.pendingRestart(t.pendingRestart(), t.containersRunning());
        return TargetStatus.ok();
    }

    static String summary(Report r, Set<String> inFlight) {
        StringBuilder sb = new StringBuilder("CA set " + r.bundle() + " (" + r.cas() + " CAs)");
        for (TargetReport t : r.targets())
            sb.append("; ").append(t.name()).append(' ').append(summary(t));
        for (String name : inFlight) sb.append("; ").append(name).append(" in flight");
        return sb.toString();
    }

    static String summary(TargetReport t) {
        return switch (t.result()) {
            case UPDATED ->
                "+" + t.added() + " -" + t.removed() + (t.restarted().isEmpty() ? "" : " restarted " + t.restarted());
            case PENDING_RESTART -> "+" + t.added() + " -" + t.removed() + " restart pending " + t.pendingRestart();
            case FAILED -> "failed: " + t.error();
            default -> TargetReport.word(t.result()) + (t.persisted() == Persisted.UPDATED ? ", entry updated" : "");
        };
    }
}
