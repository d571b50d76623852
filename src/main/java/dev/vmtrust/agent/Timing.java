package dev.vmtrust.agent;

import java.time.Duration;

/**
 * Every delay of the agent in one value, so tests can shrink them.
 *
 * @param debounce      a round starts this long after the last request...
 * @param maxDelay      ...but at most this long after the first one, so a constant stream still reconciles
 * @param resync        full reconcile at least this often (the backstop for dropped events)
 * @param retryInitial  first retry of a failed target; doubles per failure...
 * @param retryMax      ...up to this
 * @param startInitial  first retry of a starting VM (its ha.pid or ssh.config appeared); doubles...
 * @param startMax      ...up to this
 * @param startWindow   how long a starting VM is retried on the short backoff
 * @param inFlightLimit a target in flight longer than this is no longer skipped (a lost {@link Round#finished})
 * @param pollInterval  how often missing folders and files directly in $HOME are checked
 * @param closeTimeout  how long {@code close()} waits for an interrupted round
 */
public record Timing(
        Duration debounce,
        Duration maxDelay,
        Duration resync,
        Duration retryInitial,
        Duration retryMax,
        Duration startInitial,
        Duration startMax,
        Duration startWindow,
        Duration inFlightLimit,
        Duration pollInterval,
        Duration closeTimeout) {

    /**
     * The agent's delays. The debounce only groups the events of one change (a rename is one event; an in-place
     * write is a few within a millisecond or two); a file caught half-written is waited for where it is read
     * ({@code CertFiles#read}), not by a longer debounce.
     */
    public static Timing defaults(Duration resync) {
        return new Timing(
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                resync,
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofMinutes(2),
                Duration.ofMinutes(15),
                Duration.ofSeconds(2),
                Duration.ofSeconds(4));
    }

    public Timing withDebounce(Duration debounce, Duration maxDelay) {
        return new Timing(
                debounce,
                maxDelay,
                resync,
                retryInitial,
                retryMax,
                startInitial,
                startMax,
                startWindow,
                inFlightLimit,
                pollInterval,
                closeTimeout);
    }

    public Timing withPollInterval(Duration pollInterval) {
        return new Timing(
                debounce,
                maxDelay,
                resync,
                retryInitial,
                retryMax,
                startInitial,
                startMax,
                startWindow,
                inFlightLimit,
                pollInterval,
                closeTimeout);
    }
}
