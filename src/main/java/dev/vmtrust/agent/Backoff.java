package dev.vmtrust.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Exponential backoff per target: the n-th failure in a row waits {@code initial * 2^(n-1)}, capped at
 * {@code max}. Targets are independent. Not thread-safe: the loop owns it under its lock.
 *
 * <p>A target's retry is "due" once; {@link #takeDue} hands it out and forgets the time (the failure count
 * stays), so a target the next round does not report is not retried in a tight loop.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Instant> due = new HashMap<>();

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** Records one more failure at {@code now}; returns when the retry is due. */
    public Instant failed(String target, Instant now) {
        int n = failures.merge(target, 1, Integer::sum);
        Instant at = now.plus(delay(n));
        due.put(target, at);
        return at;
    }

    /** Counts a failure without scheduling a retry (a shorter schedule covers it, e.g. a starting VM). */
    public void addFailure(String target) {
        failures.merge(target, 1, Integer::sum);
    }

    /** The wait after the n-th failure in a row (n >= 1). */
    public Duration delay(int n) {
        Duration d = initial;
        for (int i = 1; i < n && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Success (or giving up on the target): forgets its failures and its pending retry. */
    public void reset(String target) {
        failures.remove(target);
        due.remove(target);
    }

    public int failures(String target) {
        return failures.getOrDefault(target, 0);
    }

    /** Every target's failures in a row (a copy). */
    public Map<String, Integer> failureCounts() {
        return Map.copyOf(failures);
    }

    public Optional<Instant> dueAt(String target) {
        return Optional.ofNullable(due.get(target));
    }

    /** The earliest pending retry, if any. */
    public Optional<Instant> earliestDue() {
        return due.values().stream().min(Instant::compareTo);
    }

    /** Targets whose retry is due at {@code now} (sorted); their due times are cleared. */
    public Set<String> takeDue(Instant now) {
        Set<String> out = new TreeSet<>();
        due.entrySet().removeIf(e -> {
            if (e.getValue().isAfter(now)) return false;
            out.add(e.getKey());
            return true;
        });
        return out;
    }
}
