package dev.vmtrust.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final CaCert A = TestCerts.rootCa("CN=Corp A").cert();
    private static final CaCert B = TestCerts.rootCa("CN=Corp B").cert();
    private final CaBundle ab = CaBundle.of(List.of(A, B));

    @Test
    void aVmWithTheStampAndExactlyTheFilesIsInSync() {
        var seen = new VmObservation(Optional.of(ab.fingerprint()), Set.of(A.fp16(), B.fp16()), List.of());
        assertThat(Planner.plan(ab, seen)).isEqualTo(new LivePlan.InSync());
    }

    @Test
    void aFreshVmGetsEveryCaAdded() {
        var seen = new VmObservation(Optional.empty(), Set.of(), List.of());
        assertThat(Planner.plan(ab, seen))
                .isEqualTo(new LivePlan.Change(
                        ab.certs().stream().map(CaCert::fp16).toList(), List.of()));
    }

    @Test
    void aRotatedCaIsRemovedAndTheNewOneAdded() {
        CaBundle b = CaBundle.of(List.of(B));
        var seen = new VmObservation(Optional.of("old"), Set.of(A.fp16()), List.of());
        assertThat(Planner.plan(b, seen)).isEqualTo(new LivePlan.Change(List.of(B.fp16()), List.of(A.fp16())));
    }

    @Test
    void filesInPlaceWithoutTheStampStillNeedAnApply() {
        // a run killed after writing files and before the stamp: the trust update may not have run
        var seen = new VmObservation(Optional.empty(), Set.of(A.fp16(), B.fp16()), List.of());
        assertThat(Planner.plan(ab, seen)).isEqualTo(new LivePlan.Change(List.of(), List.of()));
    }

    @Test
    void aPendingRestartOnACurrentStoreIsFinished() {
        var seen = new VmObservation(Optional.of(ab.fingerprint()), Set.of(A.fp16(), B.fp16()), List.of("docker"));
        assertThat(Planner.plan(ab, seen)).isEqualTo(new LivePlan.FinishRestart(List.of("docker")));
    }
}
