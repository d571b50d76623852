package dev.vmtrust.agent;

import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.VmState;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.notify.Announcer;
import dev.vmtrust.notify.Outcome;
import dev.vmtrust.notify.TargetStatus;
import dev.vmtrust.reconcile.AgentRound;
import dev.vmtrust.reconcile.NoCaFoundException;
import dev.vmtrust.reconcile.Report;
import dev.vmtrust.reconcile.TargetReport;
import dev.vmtrust.watch.ReconcileFn;
import dev.vmtrust.watch.Round;
import dev.vmtrust.watch.RoundResult;
import dev.vmtrust.watch.TargetOutcome;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's reconcile round (the {@link ReconcileFn} contract): recompute the set, reconcile every target
 * in parallel, report targets still in flight after a short wait as IN_FLIGHT and finish
 * them later, write the state folder, and announce transitions (rotation, failure after retries, pending
 * restart). One log line per round says what changed.
 */
public final class AgentReconciler implements ReconcileFn {
    /** Consecutive failed rounds after which a target counts as "failed after retries" (about 30 s of backoff). */
    static final int RETRIES_BEFORE_NOTIFY = 5;
    private static final Logger log = LoggerFactory.getLogger("dev.vmtrust.agent");

    private final AgentRound rounds;
    private final Announcer announcer;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    public AgentReconciler(AgentRound rounds, Announcer announcer) {
        this.rounds = rounds;
        this.announcer = announcer;
    }

    @Override public RoundResult run(Round round) throws InterruptedException {
        long t0 = System.nanoTime();
        AgentRound.Result run;
        try {
            run = rounds.run(round.skip(), (name, report) -> {
                // a target that outlived the round: its final outcome goes to the loop, its report to the log
                log.info("{} finished late: {}", name, summary(report));
                round.finished(name, outcome(report, round.starting().contains(name)));
            });
        } catch (NoCaFoundException e) {
            log.warn("{}", e.getMessage());
            return RoundResult.empty();
        } catch (java.io.IOException e) {
            log.warn("reconcile failed: {}", e.getMessage());
            return RoundResult.empty();
        }
        Map<String, TargetOutcome> outcomes = new HashMap<>();
        Map<String, TargetStatus> statuses = new HashMap<>();
        for (TargetReport t : run.report().targets()) {
            TargetOutcome o = outcome(t, round.starting().contains(t.name()));
            outcomes.put(t.name(), o);
            statuses.put(t.name(), status(t, o));
        }
        for (String name : run.inFlight()) outcomes.put(name, TargetOutcome.IN_FLIGHT);
        announcer.announce(new Outcome(run.bundle(), statuses));
        log.info("reconcile done in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, summary(run.report(), run.inFlight()));
        return RoundResult.of(outcomes);
    }

    /** Stopped VMs count as converged, except a VM seen starting: it is retried until SSH answers. */
    static TargetOutcome outcome(TargetReport t, boolean starting) {
        if (t.failed()) return TargetOutcome.FAILED;
        if (t.result() == LiveStatus.PENDING_RESTART) return TargetOutcome.FAILED; // retried until idle
        if (starting && t.state() == VmState.STOPPED) return TargetOutcome.FAILED;
        return TargetOutcome.CONVERGED;
    }

    private TargetStatus status(TargetReport t, TargetOutcome o) {
        if (t.failed()) {
            int n = failures.merge(t.name(), 1, Integer::sum);
            return TargetStatus.failed(t.error(), n >= RETRIES_BEFORE_NOTIFY);
        }
        failures.remove(t.name());
        if (t.result() == LiveStatus.PENDING_RESTART)
            return TargetStatus.pendingRestart(t.pendingRestart(), t.containersRunning());
        return TargetStatus.ok();
    }

    static String summary(Report r, java.util.Set<String> inFlight) {
        StringBuilder sb = new StringBuilder("CA set " + r.bundle() + " (" + r.cas() + " CAs)");
        for (TargetReport t : r.targets()) sb.append("; ").append(t.name()).append(' ').append(summary(t));
        for (String name : inFlight) sb.append("; ").append(name).append(" in flight");
        return sb.toString();
    }

    static String summary(TargetReport t) {
        return switch (t.result()) {
            case UPDATED -> "+" + t.added() + " -" + t.removed() + (t.restarted().isEmpty() ? "" : " restarted " + t.restarted());
            case PENDING_RESTART -> "+" + t.added() + " -" + t.removed() + " restart pending " + t.pendingRestart();
            case FAILED -> "failed: " + t.error();
            default -> TargetReport.word(t.result()) + (t.persisted() == Persisted.UPDATED ? ", entry updated" : "");
        };
    }
}
