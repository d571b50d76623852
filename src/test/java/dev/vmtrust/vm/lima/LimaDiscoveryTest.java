package dev.vmtrust.vm.lima;

import static dev.vmtrust.vm.TargetTrees.limaInstance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.vm.Discovery;
import dev.vmtrust.vm.TargetKind;
import dev.vmtrust.vm.TargetRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimaDiscoveryTest {
    @TempDir
    Path tmp;

    Path home;

    @BeforeEach
    void tree() throws Exception {
        home = tmp.resolve(".lima");
        limaInstance(home, "dev", 10L);
        limaInstance(home, "docker", null);
        limaInstance(home, "colima", 11L); // Colima's, when LIMA_HOME is shared
        limaInstance(home, "colima-work", null);
        Files.createDirectories(home.resolve("_config"));
        Files.createDirectories(home.resolve("half")); // no lima.yaml
    }

    @Test
    void findsInstancesWithLimaYamlAndSkipsColimasAndUnderscoreDirs() {
        Discovery d = new LimaDiscovery(home, List.of()).discover();
        assertThat(d.targets()).extracting(TargetRef::name).containsExactly("lima/dev", "lima/docker");
        assertThat(d.targets().get(0))
                .isEqualTo(new TargetRef(
                        "lima/dev",
                        TargetKind.LIMA,
                        home.resolve("dev"),
                        home.resolve("dev/lima.yaml"),
                        home.resolve("dev/ssh.config"),
                        home.resolve("dev/ha.pid")));
        assertThat(d.notes())
                .containsExactly("lima: " + home.resolve("half")
                        + " has no lima.yaml; skipped (not an instance, or a broken one)");
    }

    @Test
    void theInstanceFilterKeepsOnlyListedNamesAndNotesTheRest() {
        Discovery d = new LimaDiscovery(home, List.of("docker", "nope", "colima")).discover();
        assertThat(d.targets()).extracting(TargetRef::name).containsExactly("lima/docker");
        assertThat(d.notes())
                .containsExactly(
                        "lima instance \"colima\" in targets.lima.instances belongs to Colima; list it under targets.colima.profiles instead",
                        "lima instance \"nope\" is listed in targets.lima.instances but " + home
                                + " has no such instance");
    }

    @Test
    void aMissingHomeYieldsNoTargets() {
        assertThat(new LimaDiscovery(tmp.resolve("none"), List.of()).discover()).isEqualTo(Discovery.empty());
    }

    @Test
    void hintsUseLimactl() {
        TargetRef dev =
                new LimaDiscovery(home, List.of("dev")).discover().targets().get(0);
        assertThat(dev.startHint()).isEqualTo("limactl start dev");
        assertThat(dev.shortName()).isEqualTo("dev");
    }
}
