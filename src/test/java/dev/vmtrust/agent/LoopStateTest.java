package dev.vmtrust.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The loop's decisions on a fake clock: no threads, no sleeps. */
class LoopStateTest {
    private static final String VM = "colima/default";
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    // the loop's logic with round numbers: a 300 ms debounce (the default is shorter)
    private final Timing timing =
            Timing.defaults(Duration.ofMinutes(10)).withDebounce(Duration.ofMillis(300), Duration.ofSeconds(2));
    private final List<String> late = new ArrayList<>();
    private final LoopState state = new LoopState(timing, t0, (id, t, o) -> late.add(id + " " + t + " " + o));

    private Instant at(long millis) {
        return t0.plusMillis(millis);
    }

    @Test
    void aHundredRequestsWithinASecondBecomeOneRoundAfterTheDebounce() {
        for (int i = 0; i < 100; i++) {
            state.request("change " + i, at(i * 10L));
            assertThat(state.takeRound(at(i * 10L))).isEmpty();
        }
        assertThat(state.nextWake()).isEqualTo(at(990 + 300));
        assertThat(state.takeRound(at(1289))).isEmpty();
        Round round = state.takeRound(at(1290)).orElseThrow();
        assertThat(round.reasons()).hasSize(100);
        state.finishRound(round.id(), RoundResult.empty(), at(1300));
        assertThat(state.takeRound(at(5000))).isEmpty();
        assertThat(state.nextWake()).isEqualTo(at(1290).plus(Duration.ofMinutes(10)));
    }

    @Test
    void aConstantStreamOfRequestsStillReconcilesEveryTwoSeconds() {
        List<Long> starts = new ArrayList<>();
        for (long ms = 0; ms <= 5000; ms += 100) {
            state.request("change", at(ms));
            Optional<Round> round = state.takeRound(at(ms));
            if (round.isPresent()) {
                starts.add(ms);
                state.finishRound(round.get().id(), RoundResult.empty(), at(ms));
            }
        }
        assertThat(starts).containsExactly(2000L, 4100L);
    }

    @Test
    void requestsDuringARoundMakeExactlyOneMoreRound() {
        state.request("a", at(0));
        Round first = state.takeRound(at(300)).orElseThrow();
        for (int i = 0; i < 5; i++) state.request("during " + i, at(400 + i));
        assertThat(state.takeRound(at(5000))).as("never two rounds at once").isEmpty();
        state.finishRound(first.id(), RoundResult.empty(), at(5000));
        Round second = state.takeRound(at(5000)).orElseThrow();
        assertThat(second.reasons()).containsExactly("during 0", "during 1", "during 2", "during 3", "during 4");
        state.finishRound(second.id(), RoundResult.empty(), at(6000));
        assertThat(state.takeRound(at(60_000))).isEmpty();
    }

    @Test
    void startupDoesNotWaitForTheDebounce() {
        state.requestNow("startup", at(0));
        assertThat(state.takeRound(at(0)).orElseThrow().reasons()).containsExactly("startup");
    }

    @Test
    void withNothingRequestedTheResyncRunsOnTime() {
        assertThat(state.nextWake()).isEqualTo(t0.plus(Duration.ofMinutes(10)));
        assertThat(state.takeRound(t0.plus(Duration.ofMinutes(10)).minusMillis(1)))
                .isEmpty();
        assertThat(state.takeRound(t0.plus(Duration.ofMinutes(10)))
                        .orElseThrow()
                        .reasons())
                .containsExactly("resync");
    }

    @Test
    void aFailedTargetIsRetriedWithBackoffAndResetBySuccess() {
        state.requestNow("startup", t0);
        List<Long> gaps = simulate(
                Duration.ofMinutes(9), r -> Map.of(VM, TargetOutcome.FAILED, "lima/ok", TargetOutcome.CONVERGED));
        assertThat(gaps).startsWith(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 64000L, 128000L, 256000L);
        assertThat(state.retries().failures("lima/ok")).isZero();

        Round r = state.takeRound(t0.plus(Duration.ofHours(1))).orElseThrow();
        state.finishRound(r.id(), RoundResult.of(Map.of(VM, TargetOutcome.CONVERGED)), t0.plus(Duration.ofHours(1)));
        assertThat(state.retries().failures(VM)).isZero();
        assertThat(state.retries().earliestDue()).isEmpty();
    }

    @Test
    void aRoundThatThrowsIsRetriedWithBackoff() {
        state.requestNow("startup", at(0));
        Round r = state.takeRound(at(0)).orElseThrow();
        state.roundThrew(r.id(), at(100));
        assertThat(state.nextWake()).isEqualTo(at(1100));
        Round retry = state.takeRound(at(1100)).orElseThrow();
        assertThat(retry.reasons()).containsExactly("retry");
        state.roundThrew(retry.id(), at(1100));
        assertThat(state.nextWake()).as("throwing again doubles the wait").isEqualTo(at(3100));
        Round third = state.takeRound(at(3100)).orElseThrow();
        state.finishRound(third.id(), RoundResult.empty(), at(3100));
        assertThat(state.retries().failures(LoopState.WHOLE_ROUND)).isZero();
    }

    @Test
    void aTargetInFlightIsSkippedNotAwaitedAndFinishingLateBringsOneMoreRound() {
        state.requestNow("startup", at(0));
        Round first = state.takeRound(at(0)).orElseThrow();
        state.finishRound(
                first.id(),
                RoundResult.of(Map.of("lima/hung", TargetOutcome.IN_FLIGHT, "lima/fast", TargetOutcome.CONVERGED)),
                at(2000));
        assertThat(state.inFlight()).containsExactly("lima/hung");

        state.request("change", at(2100));
        Round second = state.takeRound(at(2400)).orElseThrow();
        assertThat(second.skip()).containsExactly("lima/hung");
        state.finishRound(
                second.id(),
                RoundResult.of(Map.of("lima/fast", TargetOutcome.CONVERGED, "lima/hung", TargetOutcome.FAILED)),
                at(3000)); // a skipped target's report is ignored
        assertThat(state.retries().failures("lima/hung")).isZero();

        assertThat(state.finishedLate(first.id(), "lima/hung", TargetOutcome.CONVERGED, at(120_000)))
                .isTrue();
        Round third = state.takeRound(at(120_300)).orElseThrow();
        assertThat(third.reasons()).containsExactly("finished: lima/hung");
        assertThat(third.skip()).isEmpty();
    }

    @Test
    void aTargetInFlightThatNoRoundSkippedFinishesQuietly() {
        state.requestNow("startup", at(0));
        Round first = state.takeRound(at(0)).orElseThrow();
        state.finishRound(first.id(), RoundResult.of(Map.of("lima/slow", TargetOutcome.IN_FLIGHT)), at(10));
        state.finishedLate(first.id(), "lima/slow", TargetOutcome.CONVERGED, at(5000));
        assertThat(state.takeRound(at(60_000))).isEmpty();
    }

    @Test
    void aTargetInFlightThatFailsLateIsRetriedWithBackoff() {
        state.requestNow("startup", at(0));
        Round first = state.takeRound(at(0)).orElseThrow();
        state.finishRound(first.id(), RoundResult.of(Map.of("lima/slow", TargetOutcome.IN_FLIGHT)), at(10));
        state.finishedLate(first.id(), "lima/slow", TargetOutcome.FAILED, at(5000));
        assertThat(state.nextWake()).isEqualTo(at(6000));
        assertThat(state.takeRound(at(6000)).orElseThrow().reasons()).containsExactly("retry: lima/slow");
    }

    @Test
    void aTargetThatFinishesBeforeItsRoundReturnsIsNotLeftInFlight() {
        state.requestNow("startup", at(0));
        Round first = state.takeRound(at(0)).orElseThrow();
        state.finishedLate(first.id(), "lima/quick", TargetOutcome.CONVERGED, at(5));
        state.finishRound(first.id(), RoundResult.of(Map.of("lima/quick", TargetOutcome.IN_FLIGHT)), at(10));
        assertThat(state.inFlight()).isEmpty();
    }

    @Test
    void aTargetInFlightForTooLongIsNoLongerSkipped() {
        state.requestNow("startup", at(0));
        Round first = state.takeRound(at(0)).orElseThrow();
        state.finishRound(first.id(), RoundResult.of(Map.of("lima/lost", TargetOutcome.IN_FLIGHT)), at(10));
        Instant later = at(10).plus(timing.inFlightLimit());
        state.request("change", later);
        assertThat(state.takeRound(later.plusSeconds(1)).orElseThrow().skip()).isEmpty();
    }

    @Test
    void aStartingVmIsRetriedOnTheShortBackoffForTwoMinutesThenOnTheNormalOne() {
        state.vmStarting(VM, "vm start: " + VM, at(0));
        List<Long> gaps = simulate(Duration.ofMinutes(8), r -> {
            if (clockMillis <= 120_300) assertThat(r.starting()).contains(VM);
            return Map.of(VM, TargetOutcome.FAILED);
        });
        // first round after the debounce, then 1, 2, 4, 8, 10, 10 ... s until the window closes at 120 s
        assertThat(starts.get(0)).isEqualTo(300L);
        assertThat(gaps.subList(0, 6)).containsExactly(1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L);
        long inWindow = starts.stream().filter(s -> s <= 120_000).count();
        assertThat(inWindow).isBetween(14L, 16L);
        assertThat(gaps.stream().filter(g -> g > 10_000L).findFirst()).contains(300_000L);
        assertThat(state.starting()).isEmpty();
    }

    @Test
    void aStartingVmThatConvergesIsLeftAlone() {
        state.vmStarting(VM, "vm start: " + VM, at(0));
        int[] calls = {0};
        simulate(
                Duration.ofMinutes(3),
                r -> ++calls[0] < 3 ? Map.of(VM, TargetOutcome.FAILED) : Map.of(VM, TargetOutcome.CONVERGED));
        assertThat(calls[0]).isEqualTo(3);
        assertThat(state.starting()).isEmpty();
    }

    @Test
    void aStartingVmThatDiscoveryDoesNotSeeYetIsStillRetried() {
        state.vmStarting("lima/new", "vm start: lima/new", at(0));
        int[] calls = {0};
        simulate(Duration.ofSeconds(20), r -> ++calls[0] < 4 ? Map.of() : Map.of("lima/new", TargetOutcome.CONVERGED));
        assertThat(calls[0]).isEqualTo(4);
    }

    private long clockMillis;
    private final List<Long> starts = new ArrayList<>();

    /** Runs the loop like ReconcileLoop does, jumping the clock to each wake-up; returns the gaps between rounds. */
    private List<Long> simulate(Duration span, Function<Round, Map<String, TargetOutcome>> fn) {
        Instant end = t0.plus(span);
        Instant now = t0;
        while (!now.isAfter(end)) {
            var round = state.takeRound(now);
            if (round.isPresent()) {
                clockMillis = Duration.between(t0, now).toMillis();
                starts.add(clockMillis);
                state.finishRound(round.get().id(), RoundResult.of(fn.apply(round.get())), now);
                continue;
            }
            now = state.nextWake();
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < starts.size(); i++) gaps.add(starts.get(i) - starts.get(i - 1));
        return gaps;
    }
}
