package dev.vmtrust.agent;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One reconcile round as the loop hands it to {@link ReconcileFn#run}.
 *
 * @param id       increasing number of the round, for logs
 * @param reasons  why it runs (never empty): {@code startup}, {@code resync}, {@code change detected: PATH},
 *                 {@code vm start: NAME}, {@code retry: NAME}, {@code finished: NAME}...; informational only:
 *                 every round reconciles everything (DESIGN convention 1)
 * @param skip     targets still in flight from an earlier round: do not start them again, do not wait for
 *                 them, do not report them
 * @param starting targets that were just seen starting (their {@code ha.pid} or {@code ssh.config} appeared or
 *                 changed): for these an unreachable VM is {@link TargetOutcome#FAILED}, not "stopped", so the
 *                 loop keeps retrying until SSH answers
 * @param failures each target's failed rounds in a row so far (the loop's backoff count; absent: none)
 * @param late     where {@link #finished} goes; the loop's own sink
 */
public record Round(
        long id,
        Set<String> reasons,
        Set<String> skip,
        Set<String> starting,
        Map<String, Integer> failures,
        LateSink late) {
    public Round {
        reasons = Collections.unmodifiableSet(new LinkedHashSet<>(reasons)); // in order of arrival
        skip = Set.copyOf(skip);
        starting = Set.copyOf(starting);
        failures = Map.copyOf(failures);
    }

    /** {@code target}'s failed rounds in a row before this one. */
    public int failuresBefore(String target) {
        return failures.getOrDefault(target, 0);
    }

    /** Receives the outcome of a target that this round reported as {@link TargetOutcome#IN_FLIGHT}. */
    @FunctionalInterface
    public interface LateSink {
        void finished(long roundId, String target, TargetOutcome outcome);
    }

    /**
     * Reports the final outcome of a target this round returned as {@link TargetOutcome#IN_FLIGHT}. Call it
     * exactly once per such target, from any thread, with {@code CONVERGED} or {@code FAILED}; calling it
     * before {@link ReconcileFn#run} has returned is fine too. Calls after the agent closed are ignored.
     */
    public void finished(String target, TargetOutcome outcome) {
        if (outcome == TargetOutcome.IN_FLIGHT) throw new IllegalArgumentException("a late outcome must be final");
        late.finished(id, target, outcome);
    }
}
