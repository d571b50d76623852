package dev.vmtrust.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread ({@code vmtrust-reconcile}) that turns requests into coalesced rounds of the injected
 * {@link ReconcileFn}; scheduling is decided by {@link LoopState}. Between rounds the thread blocks on a
 * condition until the next due time or a request: no polling. Every method is thread-safe.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);
    /**
     * The longest single wait. On macOS the monotonic clock behind {@code awaitNanos} stops while the Mac
     * sleeps, so a 10-minute wait begun before a night's sleep would end 10 minutes after waking; waking at
     * least this often re-reads the wall clock and runs an overdue resync soon after the lid opens.
     */
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private static final int REASONS_SHOWN = 5;

    private final ReconcileFn fn;
    private final Timing timing;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LoopState state;
    private final Thread thread;
    private boolean closed;

    public ReconcileLoop(ReconcileFn fn, Timing timing, Clock clock) {
        this.fn = fn;
        this.timing = timing;
        this.clock = clock;
        this.state = new LoopState(timing, clock.instant(), this::finishedLate);
        this.thread = new Thread(this::run, "vmtrust-reconcile");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Asks for a full reconcile; requests close together become one round. */
    public void requestReconcile(String reason) {
        update(s -> s.request(reason, clock.instant()));
    }

    /** Asks for a full reconcile without the debounce (startup). */
    public void requestNow(String reason) {
        update(s -> s.requestNow(reason, clock.instant()));
    }

    /** {@code target}'s VM is starting: reconcile, and retry it on the short backoff until it converges. */
    public void vmStarting(String target, String reason) {
        update(s -> s.vmStarting(target, reason, clock.instant()));
    }

    /**
     * Stops the loop: a round in progress is interrupted and given {@link Timing#closeTimeout()} to return;
     * after that this method returns anyway (the thread is a daemon and exits when the round returns).
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!thread.isAlive()) return;
        thread.interrupt();
        try {
            thread.join(timing.closeTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
            log.warn(
                    "a reconcile did not stop within {} ms of being interrupted; leaving it",
                    timing.closeTimeout().toMillis());
    }

    private void update(Consumer<LoopState> change) {
        lock.lock();
        try {
            if (closed) return;
            change.accept(state);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void finishedLate(long roundId, String target, TargetOutcome outcome) {
        lock.lock();
        try {
            if (!closed && state.finishedLate(roundId, target, outcome, clock.instant())) changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Round round;
        while ((round = awaitRound()) != null) {
            log.info("reconcile started (reasons: {})", describe(round.reasons()));
            RoundResult result = null;
            try {
                result = fn.run(round);
            } catch (InterruptedException e) {
                if (isClosed()) break;
                log.warn("reconcile round {} was interrupted; retrying", round.id());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // keep the agent alive: a dead loop thread would leave a process that watches and does nothing
                log.error("reconcile round {} failed: {}", round.id(), e.toString(), e);
            }
            Thread.interrupted(); // a stray interrupt must not end the next wait
            lock.lock();
            try {
                if (result != null) state.finishRound(round.id(), result, clock.instant());
                else state.roundThrew(round.id(), clock.instant());
            } finally {
                lock.unlock();
            }
            log.debug("reconcile round {} done: {}", round.id(), result == null ? "threw" : result.outcomes());
        }
        log.debug("reconcile loop stopped");
    }

    /** Blocks until a round is due; null once closed. */
    private Round awaitRound() {
        lock.lock();
        try {
            while (!closed) {
                Instant now = clock.instant();
                Optional<Round> round = state.takeRound(now);
                if (round.isPresent()) return round.get();
                Duration wait = Duration.between(now, state.nextWake());
                if (wait.compareTo(MAX_WAIT) > 0) wait = MAX_WAIT;
                if (wait.toMillis() < 1) wait = Duration.ofMillis(1); // never spin, whatever the clock does
                try {
                    changed.await(wait.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    if (closed) return null;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    static String describe(Set<String> reasons) {
        String shown = reasons.stream().limit(REASONS_SHOWN).collect(Collectors.joining(", "));
        int more = reasons.size() - REASONS_SHOWN;
        return more > 0 ? shown + " and " + more + " more" : shown;
    }
}
