package dev.vmtrust.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationsTest {
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final CaCert A = TestCerts.rootCa("CN=Corp Root A,O=Corp").cert();
    private static final CaCert B = TestCerts.rootCa("CN=Corp Root B,O=Corp").cert();
    private static final CaCert C = TestCerts.rootCa("CN=Corp Root C,O=Corp").cert();
    private static final String TARGET = "colima/default";

    private final MutableClock clock = new MutableClock(START);
    private final Notifications rules = new Notifications(clock);
    private NotifyState state = NotifyState.initial();

    /** One reconcile: returns its events and keeps the state, as the agent does. */
    private List<Event> reconcile(CaBundle bundle, Map<String, TargetStatus> targets) {
        Notifications.Step step = rules.step(state, new Outcome(bundle, targets));
        state = step.state();
        return step.events();
    }

    private static CaBundle set(CaCert... certs) {
        return CaBundle.of(List.of(certs));
    }

    private static List<Event.Kind> kinds(List<Event> events) {
        return events.stream().map(Event::event).toList();
    }

    @Test
    void theFirstSetSeenAndUnchangedReconcilesAnnounceNothing() {
        assertThat(reconcile(set(A, B), Map.of(TARGET, TargetStatus.ok()))).isEmpty();
        assertThat(reconcile(set(A, B), Map.of(TARGET, TargetStatus.ok()))).isEmpty();
        assertThat(reconcile(set(A, B), Map.of(TARGET, TargetStatus.ok()))).isEmpty();
        assertThat(state.bundle()).isEqualTo(set(A, B).label());
    }

    @Test
    void aRotationIsOneEventListingAddedAndRemovedCas() {
        reconcile(set(A, B), Map.of());
        clock.advance(Duration.ofMinutes(10));

        List<Event> events = reconcile(set(A, C), Map.of());

        assertThat(events).hasSize(1);
        Event e = events.get(0);
        assertThat(e.event()).isEqualTo(Event.Kind.ROTATED);
        assertThat(e.at()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(e.bundle()).isEqualTo(set(A, C).label());
        assertThat(e.added()).containsExactly(CertInfo.of(C));
        assertThat(e.removed()).containsExactly(CertInfo.of(B));
        assertThat(e.target()).isNull();
        assertThat(e.message())
                .isEqualTo("CA set changed: added \"CN=Corp Root C,O=Corp\" (expires "
                        + C.notAfter().toString().substring(0, 10)
                        + "); removed \"CN=Corp Root B,O=Corp\". vmtrust is updating your VMs.");
        assertThat(reconcile(set(A, C), Map.of())).isEmpty();
    }

    @Test
    void anEmptySetIsNeitherAnnouncedNorRemembered() {
        reconcile(set(A), Map.of());

        assertThat(reconcile(CaBundle.empty(), Map.of())).isEmpty();
        assertThat(reconcile(set(A), Map.of())).isEmpty();
    }

    @Test
    void aFailureIsAnnouncedOnceUntilTheTargetRecoversAndFailsAgain() {
        reconcile(set(A), Map.of(TARGET, TargetStatus.ok()));
        TargetStatus failed = TargetStatus.failed("cannot reach the VM over SSH", true);

        assertThat(reconcile(set(A), Map.of(TARGET, TargetStatus.failed("timeout", false))))
                .isEmpty();
        List<Event> first = reconcile(set(A), Map.of(TARGET, failed));
        assertThat(reconcile(set(A), Map.of(TARGET, failed))).isEmpty();
        assertThat(reconcile(set(A), Map.of(TARGET, TargetStatus.ok()))).isEmpty();
        List<Event> again = reconcile(set(A), Map.of(TARGET, failed));

        assertThat(kinds(first)).containsExactly(Event.Kind.FAILED);
        assertThat(first.get(0).target()).isEqualTo(TARGET);
        assertThat(first.get(0).message())
                .isEqualTo("colima/default: could not update the VM's CAs after retries: "
                        + "cannot reach the VM over SSH. Run vmtrust doctor for the next step.");
        assertThat(kinds(again)).containsExactly(Event.Kind.FAILED);
    }

    @Test
    void aPendingRestartIsAnnouncedOncePerTargetAndBundle() {
        TargetStatus pending = TargetStatus.pendingRestart(List.of("docker", "containerd"), 3);
        reconcile(set(A), Map.of());

        List<Event> first = reconcile(set(A), Map.of(TARGET, pending, "lima/dev", TargetStatus.ok()));
        assertThat(reconcile(set(A), Map.of(TARGET, pending))).isEmpty();
        assertThat(reconcile(set(A), Map.of(TARGET, TargetStatus.ok()))).isEmpty();
        assertThat(reconcile(set(A), Map.of(TARGET, pending))).isEmpty();
        List<Event> nextBundle = reconcile(set(A, B), Map.of(TARGET, pending));

        assertThat(kinds(first)).containsExactly(Event.Kind.RESTART_PENDING);
        assertThat(first.get(0).message())
                .isEqualTo("colima/default trusts the new CAs, but docker, containerd keep the "
                        + "old ones until restarted (3 containers running). Restart when convenient: "
                        + "vmtrust sync --restart always --target colima/default");
        assertThat(kinds(nextBundle)).containsExactly(Event.Kind.ROTATED, Event.Kind.RESTART_PENDING);
    }

    @Test
    void anExpiringCaIsAnnouncedAtMostOnceADay() {
        CaCert soon = TestCerts.rootCa(
                        "CN=Expiring Root",
                        START.minus(Duration.ofDays(300)),
                        START.plus(Duration.ofDays(12)).plus(Duration.ofHours(1)))
                .cert();

        List<Event> first = reconcile(set(A, soon), Map.of());
        clock.advance(Duration.ofHours(23));
        List<Event> sameDay = reconcile(set(A, soon), Map.of());
        clock.advance(Duration.ofHours(1));
        List<Event> nextDay = reconcile(set(A, soon), Map.of());

        assertThat(kinds(first)).containsExactly(Event.Kind.EXPIRING);
        assertThat(first.get(0).expiring()).containsExactly(CertInfo.of(soon));
        assertThat(first.get(0).message())
                .isEqualTo("CA \"CN=Expiring Root\" expires in 12 days ("
                        + soon.notAfter().toString().substring(0, 10) + "). Ask IT for its replacement; "
                        + "vmtrust picks it up once this computer trusts it.");
        assertThat(sameDay).isEmpty();
        assertThat(kinds(nextDay)).containsExactly(Event.Kind.EXPIRING);
        assertThat(nextDay.get(0).message()).contains("expires in 11 days");
    }

    @Test
    void aCaFurtherThanThirtyDaysFromExpiryIsNotAnnounced() {
        CaCert later = TestCerts.rootCa(
                        "CN=Later Root", START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(31)))
                .cert();

        assertThat(reconcile(set(later), Map.of())).isEmpty();
    }

    @Test
    void theStateSurvivesARestartThroughItsJson() {
        reconcile(set(A), Map.of(TARGET, TargetStatus.failed("e", true)));

        NotifyState restored = NotifyState.fromJson(state.toJson());
        Notifications.Step step =
                rules.step(restored, new Outcome(set(A, B), Map.of(TARGET, TargetStatus.failed("e", true))));

        assertThat(restored).isEqualTo(state);
        assertThat(kinds(step.events())).containsExactly(Event.Kind.ROTATED);
        assertThat(step.events().get(0).added()).containsExactly(CertInfo.of(B));
    }

    @Test
    void aTargetThatDisappearsIsForgotten() {
        reconcile(set(A), Map.of(TARGET, TargetStatus.failed("e", true), "lima/dev", TargetStatus.ok()));

        reconcile(set(A), Map.of("lima/dev", TargetStatus.ok()));

        assertThat(state.targets()).containsOnlyKeys("lima/dev");
    }
}
