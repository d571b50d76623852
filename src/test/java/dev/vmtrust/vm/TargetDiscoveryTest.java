package dev.vmtrust.vm;

import static dev.vmtrust.vm.TargetTrees.colimaProfile;
import static dev.vmtrust.vm.TargetTrees.limaInstance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetDiscoveryTest {
    @TempDir
    Path tmp;

    @Test
    void combinesEnabledKindsSortedByNameAndHonoursDisabledOnes() {
        Path colima = tmp.resolve(".colima");
        Path lima = tmp.resolve(".lima");
        colimaProfile(colima, "default");
        limaInstance(colima.resolve("_lima"), "colima", null);
        limaInstance(lima, "dev", null);
        limaInstance(lima, "alpine", null);

        assertThat(discover(true, true, colima, lima))
                .extracting(TargetRef::name)
                .containsExactly("colima/default", "lima/alpine", "lima/dev");
        assertThat(discover(false, true, colima, lima))
                .extracting(TargetRef::name)
                .containsExactly("lima/alpine", "lima/dev");
        assertThat(discover(true, false, colima, lima))
                .extracting(TargetRef::name)
                .containsExactly("colima/default");
    }

    @Test
    void limaHomeSharedWithColimaListsColimasInstancesOnceAsColimaTargets() {
        Path colima = tmp.resolve(".colima");
        Path shared = tmp.resolve(".lima");
        colimaProfile(colima, "work");
        limaInstance(shared, "colima-work", null);
        limaInstance(shared, "dev", null);
        assertThat(new TargetDiscovery(targets(true, true), colima, shared, shared)
                        .discover()
                        .targets())
                .extracting(TargetRef::name)
                .containsExactly("colima/work", "lima/dev");
    }

    private List<TargetRef> discover(boolean colimaOn, boolean limaOn, Path colima, Path lima) {
        return new TargetDiscovery(targets(colimaOn, limaOn), colima, colima.resolve("_lima"), lima)
                .discover()
                .targets();
    }

    private static Config.Targets targets(boolean colimaOn, boolean limaOn) {
        return new Config.Targets(
                new Config.Colima(colimaOn, null, List.of(), false), new Config.Lima(limaOn, null, List.of()), true);
    }
}
