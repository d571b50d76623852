package dev.vmtrust.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling decisions of {@link ReconcileLoop}, without threads: every method takes {@code now}, so
 * tests drive it with a fake clock. Not thread-safe; the loop calls it under its lock.
 *
 * <p>A round is due when any of these holds: a request is pending and {@code debounce} has passed since the
 * last one, or {@code maxDelay} since the first one (or it was urgent); a target's retry is due; the resync
 * is due. Whatever is pending then becomes that one round; requests made while it runs make the next one.
 */
final class LoopState {
    private static final Logger log = LoggerFactory.getLogger(LoopState.class);
    /** Backoff key for rounds that threw: the whole round is retried. */
    static final String WHOLE_ROUND = "*";

    private record InFlight(long roundId, Instant since, boolean skipped) {}

    private final Timing timing;
    private final Round.LateSink sink;
    private final Backoff retries;
    private final Backoff startRetries;
    private final Map<String, Instant> startingUntil = new HashMap<>();
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final Map<String, TargetOutcome> early = new HashMap<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private Instant firstRequest;
    private Instant lastRequest;
    private boolean urgent;
    private Instant nextResync;
    private long lastId;
    private Round running;

    LoopState(Timing timing, Instant now, Round.LateSink sink) {
        this.timing = timing;
        this.sink = sink;
        this.retries = new Backoff(timing.retryInitial(), timing.retryMax());
        this.startRetries = new Backoff(timing.startInitial(), timing.startMax());
        this.nextResync = now.plus(timing.resync());
    }

    /** A debounced request: the round starts after {@code debounce} of quiet, at most {@code maxDelay} late. */
    void request(String reason, Instant now) {
        if (pending.isEmpty()) firstRequest = now;
        lastRequest = now;
        pending.add(reason);
    }

    /** A request that does not wait for the debounce (startup). */
    void requestNow(String reason, Instant now) {
        request(reason, now);
        urgent = true;
    }

    /** The target's VM is starting: retry it on the short backoff for {@code startWindow}, and reconcile. */
    void vmStarting(String target, String reason, Instant now) {
        startingUntil.put(target, now.plus(timing.startWindow()));
        startRetries.reset(target);
        request(reason, now);
    }

    /** When the next round could become due; the loop sleeps until then unless a request arrives. */
    Instant nextWake() {
        Instant at = nextResync;
        for (Optional<Instant> c : List.of(pendingDue(), retries.earliestDue(), startRetries.earliestDue())) {
            if (c.isPresent() && c.get().isBefore(at)) at = c.get();
        }
        return at;
    }

    /** The round to run now, if one is due and none is running. */
    Optional<Round> takeRound(Instant now) {
        if (running != null) return Optional.empty();
        boolean requested = pendingDue().filter(d -> !d.isAfter(now)).isPresent();
        boolean retry = isDue(retries.earliestDue(), now) || isDue(startRetries.earliestDue(), now);
        boolean resync = !nextResync.isAfter(now);
        if (!requested && !retry && !resync) return Optional.empty();

        Set<String> reasons = new LinkedHashSet<>(pending);
        for (String t : retries.takeDue(now)) reasons.add(t.equals(WHOLE_ROUND) ? "retry" : "retry: " + t);
        for (String t : startRetries.takeDue(now)) reasons.add("vm start retry: " + t);
        if (resync) reasons.add("resync");
        pending.clear();
        urgent = false;
        nextResync = now.plus(timing.resync());
        forgetStale(now);
        inFlight.replaceAll((t, f) -> new InFlight(f.roundId(), f.since(), true));
        running =
                new Round(++lastId, reasons, inFlight.keySet(), startingUntil.keySet(), retries.failureCounts(), sink);
        return Optional.of(running);
    }

    /** The running round returned {@code result}. */
    void finishRound(long id, RoundResult result, Instant now) {
        if (running == null || running.id() != id) return;
        retries.reset(WHOLE_ROUND);
        finish(result, now);
    }

    /** The running round threw: retry the whole round with backoff (starting targets keep their retries). */
    void roundThrew(long id, Instant now) {
        if (running == null || running.id() != id) return;
        finish(RoundResult.empty(), now);
        retries.failed(WHOLE_ROUND, now);
    }

    private void finish(RoundResult result, Instant now) {
        Round round = running;
        long id = round.id();
        result.outcomes().forEach((target, outcome) -> {
            if (round.skip().contains(target)) return;
            if (outcome != TargetOutcome.IN_FLIGHT) {
                settle(target, outcome, now);
            } else if (early.containsKey(target)) {
                settle(target, early.get(target), now);
            } else {
                inFlight.put(target, new InFlight(id, now, false));
            }
        });
        for (String target : round.starting()) {
            boolean silent = !result.outcomes().containsKey(target) && !inFlight.containsKey(target);
            Instant until = startingUntil.get(target);
            // discovery may not see a booting VM yet: keep trying within the window
            if (silent && until != null && now.isBefore(until)) startRetries.failed(target, now);
        }
        early.clear();
        running = null;
    }

    /**
     * A target reported {@code IN_FLIGHT} by round {@code roundId} ended. Returns true when that changed
     * what is due (the loop should re-check). Unknown or stale reports are ignored.
     */
    boolean finishedLate(long roundId, String target, TargetOutcome outcome, Instant now) {
        InFlight f = inFlight.get(target);
        if (f != null && f.roundId() == roundId) {
            inFlight.remove(target);
            settle(target, outcome, now);
            // a round skipped it meanwhile, so it may have missed a newer CA set
            if (outcome == TargetOutcome.CONVERGED && f.skipped()) request("finished: " + target, now);
            return true;
        }
        if (running != null && running.id() == roundId) {
            early.put(target, outcome);
        } else {
            log.debug("ignoring a late outcome for {} from round {}", target, roundId);
        }
        return false;
    }

    Set<String> inFlight() {
        return new TreeSet<>(inFlight.keySet());
    }

    Set<String> starting() {
        return new TreeSet<>(startingUntil.keySet());
    }

    Backoff retries() {
        return retries;
    }

    private void settle(String target, TargetOutcome outcome, Instant now) {
        if (outcome == TargetOutcome.CONVERGED) {
            retries.reset(target);
            startRetries.reset(target);
            startingUntil.remove(target);
            return;
        }
        Instant until = startingUntil.get(target);
        if (until != null && now.isBefore(until)) {
            startRetries.failed(target, now);
            retries.addFailure(target); // after the window, the normal backoff goes on from here
        } else {
            startingUntil.remove(target);
            startRetries.reset(target);
            retries.failed(target, now);
        }
    }

    private void forgetStale(Instant now) {
        for (String t : new ArrayList<>(inFlight.keySet())) {
            InFlight f = inFlight.get(t);
            if (!f.since().plus(timing.inFlightLimit()).isAfter(now)) {
                log.warn("{} has been in flight since {}; no longer waiting for it", t, f.since());
                inFlight.remove(t);
            }
        }
        for (String t : new HashSet<>(startingUntil.keySet())) {
            if (!startingUntil.get(t).isAfter(now)) {
                startingUntil.remove(t);
                startRetries.reset(t);
            }
        }
    }

    private Optional<Instant> pendingDue() {
        if (pending.isEmpty()) return Optional.empty();
        if (urgent) return Optional.of(firstRequest);
        Instant quiet = lastRequest.plus(timing.debounce());
        Instant latest = firstRequest.plus(timing.maxDelay());
        return Optional.of(quiet.isBefore(latest) ? quiet : latest);
    }

    private static boolean isDue(Optional<Instant> at, Instant now) {
        return at.isPresent() && !at.get().isAfter(now);
    }
}
