package dev.vmtrust.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's thread with a real clock: short timings, waits of a few hundred milliseconds at most. */
class ReconcileLoopTest {
    private final Timing fast =
            Timing.defaults(Duration.ofMinutes(10)).withDebounce(Duration.ofMillis(50), Duration.ofMillis(500));
    private final List<Round> rounds = new CopyOnWriteArrayList<>();
    private ReconcileLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) loop.close();
    }

    private ReconcileLoop start(Timing timing, ReconcileFn fn) {
        loop = new ReconcileLoop(
                round -> {
                    rounds.add(round);
                    return fn.run(round);
                },
                timing,
                Clock.systemUTC());
        loop.start();
        return loop;
    }

    @Test
    void aHundredRequestsWithinASecondMakeOneRound() throws Exception {
        start(Timing.defaults(Duration.ofMinutes(10)), r -> RoundResult.empty());
        for (int i = 0; i < 100; i++) {
            loop.requestReconcile("change " + i);
            Thread.sleep(9);
        }
        awaitTrue(() -> rounds.size() >= 1, 3000);
        Thread.sleep(700);
        assertThat(rounds).hasSizeBetween(1, 2);
        assertThat(rounds.stream().mapToInt(r -> r.reasons().size()).sum()).isEqualTo(100);
    }

    @Test
    void requestsDuringARoundMakeExactlyOneMore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(fast, r -> {
            if (r.id() == 1) release.await();
            return RoundResult.empty();
        });
        loop.requestNow("startup");
        awaitTrue(() -> rounds.size() == 1, 2000);
        for (int i = 0; i < 10; i++) loop.requestReconcile("during " + i);
        release.countDown();
        awaitTrue(() -> rounds.size() == 2, 2000);
        Thread.sleep(300);
        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(1).reasons()).hasSize(10);
    }

    @Test
    void aTargetInFlightDoesNotDelayTheNextRounds() throws Exception {
        CountDownLatch hung = new CountDownLatch(1);
        start(fast, r -> {
            if (r.id() == 1) {
                Thread worker = new Thread(() -> {
                    try {
                        hung.await();
                        r.finished("lima/hung", TargetOutcome.CONVERGED);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                worker.setDaemon(true);
                worker.start();
                return RoundResult.of(
                        Map.of("lima/hung", TargetOutcome.IN_FLIGHT, "lima/fast", TargetOutcome.CONVERGED));
            }
            return RoundResult.of(Map.of("lima/fast", TargetOutcome.CONVERGED));
        });
        loop.requestNow("startup");
        awaitTrue(() -> rounds.size() == 1, 2000);

        long t = System.nanoTime();
        loop.requestReconcile("change");
        awaitTrue(() -> rounds.size() == 2, 2000);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(500));
        assertThat(rounds.get(1).skip()).containsExactly("lima/hung");

        hung.countDown();
        awaitTrue(() -> rounds.size() == 3, 2000);
        assertThat(rounds.get(2).reasons()).containsExactly("finished: lima/hung");
        assertThat(rounds.get(2).skip()).isEmpty();
    }

    @Test
    void aRoundThatThrowsIsRetried() throws Exception {
        Timing timing = new Timing(
                Duration.ofMillis(10),
                Duration.ofMillis(100),
                Duration.ofMinutes(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                Duration.ofMinutes(15),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2));
        start(timing, r -> {
            if (r.id() == 1) throw new IllegalStateException("no CA found");
            return RoundResult.empty();
        });
        loop.requestNow("startup");
        awaitTrue(() -> rounds.size() == 2, 2000);
        assertThat(rounds.get(1).reasons()).containsExactly("retry");
    }

    @Test
    void closeInterruptsABlockedRoundAndReturnsQuickly() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        start(fast, r -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return RoundResult.empty();
        });
        loop.requestNow("startup");
        awaitTrue(() -> rounds.size() == 1, 2000);
        long t = System.nanoTime();
        loop.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(1));
        assertThat(interrupted).isTrue();
    }

    @Test
    void closeReturnsWithinItsTimeoutEvenWhenARoundIgnoresTheInterrupt() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Timing t0 = fast;
        Timing timing = new Timing(
                t0.debounce(),
                t0.maxDelay(),
                t0.resync(),
                t0.retryInitial(),
                t0.retryMax(),
                t0.startInitial(),
                t0.startMax(),
                t0.startWindow(),
                t0.inFlightLimit(),
                t0.pollInterval(),
                Duration.ofMillis(300));
        start(timing, r -> {
            while (!stop.get()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ignored) {
                    // a badly behaved reconcile
                }
            }
            return RoundResult.empty();
        });
        loop.requestNow("startup");
        awaitTrue(() -> rounds.size() == 1, 2000);
        long t = System.nanoTime();
        loop.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t);
        stop.set(true);
        assertThat(took)
                .isLessThan(Duration.ofSeconds(5))
                .isGreaterThanOrEqualTo(timing.closeTimeout().minusMillis(50));
    }

    @Test
    void theDebounceAndTheRetriesFollowTheInjectedClock() throws Exception {
        FakeClock clock = new FakeClock();
        loop = new ReconcileLoop(
                r -> {
                    rounds.add(r);
                    return RoundResult.of(
                            Map.of("colima/default", r.id() == 1 ? TargetOutcome.FAILED : TargetOutcome.CONVERGED));
                },
                Timing.defaults(Duration.ofMinutes(10)),
                clock);
        loop.start();
        loop.requestReconcile("change");
        Thread.sleep(400);
        assertThat(rounds).as("frozen clock: the debounce has not passed").isEmpty();
        clock.advance(Duration.ofMillis(300));
        awaitTrue(() -> rounds.size() == 1, 1000);

        Thread.sleep(400);
        assertThat(rounds).as("the retry is due one fake second later").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        awaitTrue(() -> rounds.size() == 2, 1500);
        assertThat(rounds.get(1).reasons()).containsExactly("retry: colima/default");
    }

    @Test
    void requestsAfterCloseAreIgnored() throws Exception {
        start(fast, r -> RoundResult.empty());
        loop.close();
        loop.requestNow("late");
        Thread.sleep(100);
        assertThat(rounds).isEmpty();
    }

    static void awaitTrue(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + millis + " ms");
            Thread.sleep(5);
        }
    }
}
