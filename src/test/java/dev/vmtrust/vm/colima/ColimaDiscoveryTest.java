package dev.vmtrust.vm.colima;

import static dev.vmtrust.vm.TargetTrees.colimaProfile;
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

class ColimaDiscoveryTest {
    @TempDir
    Path tmp;

    Path home;
    Path lima;

    @BeforeEach
    void tree() throws Exception {
        home = tmp.resolve(".colima");
        lima = home.resolve("_lima");
        colimaProfile(home, "default");
        colimaProfile(home, "work");
        colimaProfile(home, "_templates"); // Colima's own: never a profile
        Files.createDirectories(home.resolve("empty")); // no colima.yaml: not a profile
        limaInstance(lima, "colima", 100L);
        limaInstance(lima, "colima-work", null);
        limaInstance(lima, "colima-ci", 300L); // running, no profile dir
        Files.createDirectories(lima.resolve("_config"));
        limaInstance(lima, "other", null); // not Colima's
    }

    @Test
    void findsProfilesFromProfileDirsAndInstanceDirsSortedByName() {
        Discovery d = new ColimaDiscovery(home, lima, List.of()).discover();
        assertThat(d.targets())
                .extracting(TargetRef::name)
                .containsExactly("colima/ci", "colima/default", "colima/work");
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void mapsTheDefaultProfileToInstanceColimaAndOthersToColimaDashName() {
        List<TargetRef> t =
                new ColimaDiscovery(home, lima, List.of()).discover().targets();
        assertThat(t.get(1))
                .isEqualTo(new TargetRef(
                        "colima/default",
                        TargetKind.COLIMA,
                        lima.resolve("colima"),
                        home.resolve("default/colima.yaml"),
                        lima.resolve("colima/ssh.config"),
                        lima.resolve("colima/ha.pid")));
        assertThat(t.get(2).instanceDir()).isEqualTo(lima.resolve("colima-work"));
        assertThat(t.get(2).configFile()).isEqualTo(home.resolve("work/colima.yaml"));
        // instance without profile dir: the config file is where Colima would put it
        assertThat(t.get(0).configFile()).isEqualTo(home.resolve("ci/colima.yaml"));
        assertThat(t.get(0).restartHint()).isEqualTo("colima restart ci");
    }

    @Test
    void theProfileFilterAcceptsEverySpellingColimaAccepts() {
        for (List<String> filter : List.of(List.of("default", "work"), List.of("colima", "colima-work"))) {
            assertThat(new ColimaDiscovery(home, lima, filter).discover().targets())
                    .extracting(TargetRef::name)
                    .as(filter.toString())
                    .containsExactly("colima/default", "colima/work");
        }
    }

    @Test
    void aListedProfileThatDoesNotExistIsANote() {
        Discovery d = new ColimaDiscovery(home, lima, List.of("work", "gone")).discover();
        assertThat(d.targets()).extracting(TargetRef::name).containsExactly("colima/work");
        assertThat(d.notes())
                .containsExactly("colima profile \"gone\" is listed in targets.colima.profiles but was"
                        + " not found in " + home + " or " + lima);
    }

    @Test
    void missingHomesYieldNoTargets() {
        Discovery d = new ColimaDiscovery(tmp.resolve("nope"), tmp.resolve("nope/_lima"), List.of()).discover();
        assertThat(d.targets()).isEmpty();
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void namesFollowColimasRules() {
        assertThat(ColimaNames.shortName("")).isEqualTo("default");
        assertThat(ColimaNames.shortName("colima")).isEqualTo("default");
        assertThat(ColimaNames.shortName("colima-work")).isEqualTo("work");
        assertThat(ColimaNames.instanceId("default")).isEqualTo("colima");
        assertThat(ColimaNames.instanceId("work")).isEqualTo("colima-work");
        assertThat(ColimaNames.fromInstanceId("_config")).isEmpty();
        assertThat(ColimaNames.fromInstanceId("colima-")).isEmpty();
    }
}
