package dev.vmtrust.agent;

/**
 * The reconcile itself, injected into the loop. The loop calls {@link #run} from its one thread, never twice
 * at the same time.
 *
 * <p>Contract:
 * <ol>
 *   <li>Every call reconciles <b>everything</b>: recompute the desired CA set from scratch, discover targets,
 *       reconcile each one. {@link Round#reasons} are for the log only.</li>
 *   <li>Start targets in parallel. Return when every target has either finished or is still running after a
 *       bounded wait that you choose (e.g. a few seconds). Report the first kind as
 *       {@link TargetOutcome#CONVERGED} / {@link TargetOutcome#FAILED} and the second as
 *       {@link TargetOutcome#IN_FLIGHT}, and let those keep running in the background.</li>
 *   <li>For each {@code IN_FLIGHT} target call {@link Round#finished} exactly once when it ends (its SSH
 *       timeouts bound that). If it converged and a later round had to skip it, the loop runs one more round;
 *       if it failed, the loop retries it with backoff. A target in flight for longer than
 *       {@link Timing#inFlightLimit()} is given up on (logged) and no longer skipped.</li>
 *   <li>Do not start targets in {@link Round#skip}; do not report them.</li>
 *   <li>For targets in {@link Round#starting}, a VM that does not answer over SSH is {@code FAILED}, not
 *       "stopped": the loop retries it on a short backoff (1 s doubling to 10 s) for up to two minutes.</li>
 *   <li>Targets you do not report keep their backoff state, except starting ones, which are retried as if
 *       they had failed (discovery may not see a booting VM yet).</li>
 *   <li>{@code CONVERGED} resets the target's backoff; {@code FAILED} retries it after 1 s, doubling to
 *       5 min, per target, without delaying anything else.</li>
 *   <li>Respond to interruption: on {@code close()} the loop interrupts this thread and waits a few seconds.
 *       Throw {@link InterruptedException} (or return) promptly and cancel background work. Other exceptions
 *       are logged and the whole round is retried with backoff.</li>
 * </ol>
 */
@FunctionalInterface
public interface ReconcileFn {
    RoundResult run(Round round) throws InterruptedException;
}
