package dev.vmtrust.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void failuresInARowWaitOneSecondDoublingUpToFiveMinutes() {
        List<Long> waits = new ArrayList<>();
        Instant now = t0;
        for (int i = 0; i < 12; i++) {
            Instant due = backoff.failed("colima/default", now);
            waits.add(Duration.between(now, due).toSeconds());
            now = due;
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L, 300L);
    }

    @Test
    void aSuccessStartsTheSequenceOver() {
        backoff.failed("lima/dev", t0);
        backoff.failed("lima/dev", t0);
        backoff.failed("lima/dev", t0);
        backoff.reset("lima/dev");
        assertThat(backoff.failures("lima/dev")).isZero();
        assertThat(backoff.earliestDue()).isEmpty();
        assertThat(backoff.failed("lima/dev", t0)).isEqualTo(t0.plusSeconds(1));
    }

    @Test
    void eachTargetHasItsOwnSequence() {
        for (int i = 0; i < 5; i++) backoff.failed("colima/a", t0);
        assertThat(backoff.failed("colima/b", t0)).isEqualTo(t0.plusSeconds(1));
        assertThat(backoff.dueAt("colima/a")).contains(t0.plusSeconds(16));
        backoff.reset("colima/b");
        assertThat(backoff.dueAt("colima/a")).contains(t0.plusSeconds(16));
    }

    @Test
    void aDueRetryIsHandedOutOnceAndTheCountStays() {
        backoff.failed("colima/a", t0);
        backoff.failed("colima/b", t0.plusSeconds(10));
        assertThat(backoff.earliestDue()).contains(t0.plusSeconds(1));
        assertThat(backoff.takeDue(t0.plusMillis(999))).isEmpty();
        assertThat(backoff.takeDue(t0.plusSeconds(1))).containsExactly("colima/a");
        assertThat(backoff.takeDue(t0.plusSeconds(1))).isEmpty();
        assertThat(backoff.failures("colima/a")).isEqualTo(1);
        assertThat(backoff.earliestDue()).contains(t0.plusSeconds(11));
    }

    @Test
    void aCountedFailureLengthensTheNextWaitWithoutSchedulingOne() {
        backoff.addFailure("colima/a");
        backoff.addFailure("colima/a");
        assertThat(backoff.earliestDue()).isEmpty();
        assertThat(backoff.failed("colima/a", t0)).isEqualTo(t0.plusSeconds(4));
    }
}
