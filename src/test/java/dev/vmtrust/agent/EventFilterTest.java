package dev.vmtrust.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.agent.EventFilter.Change;
import dev.vmtrust.agent.EventFilter.Kind;
import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    private final Path home = Path.of("/Users/alice");
    private final Path colima = home.resolve(".colima");
    private final Path lima = home.resolve(".lima");
    private final EventFilter relevance;

    EventFilterTest() {
        Environment env = Configs.env(home, Os.MACOS);
        Config config = Configs.keychainOn(Config.defaults(home.resolve(".config/vmtrust/config.yaml"), env));
        Config.Sources s = config.sources();
        config = Configs.withSources(
                config,
                new Config.Sources(
                        s.keychain(),
                        List.of(Path.of("/etc/corp/proxy.pem")),
                        true,
                        s.host(),
                        s.publicRoots(),
                        s.excludePublic()));
        relevance = new EventFilter(WatchPlan.of(
                config, env, List.of(Path.of("/Library/Application Support/Netskope/STAgent/data/nscacert.pem"))));
    }

    private Optional<Change> changed(Path p) {
        return relevance.classify(p, false);
    }

    @Test
    void certificateSourcesMatter() {
        for (Path p : List.of(
                Path.of("/Library/Keychains/System.keychain"),
                home.resolve("Library/Keychains/login.keychain-db"),
                Path.of("/etc/corp/proxy.pem"),
                Path.of("/Library/Application Support/Netskope/STAgent/data/nscacert.pem"),
                Path.of("/Library/Security/Trust Settings/Admin.plist"))) {
            assertThat(changed(p)).as(p.toString()).contains(new Change(p, Kind.SOURCE, null));
        }
    }

    @Test
    void anyFileInAHostStoreFolderMattersButNotDotFilesOrNeighbours() {
        Path anchors = Path.of("/usr/local/share/ca-certificates");
        EventFilter host = new EventFilter(new WatchPlan(
                List.of(new WatchPlan.Root(anchors, 3)),
                Set.of(),
                Set.of(),
                Set.of(),
                new TargetNames(null, null, null, Set.of(), Set.of()),
                Set.of(anchors)));

        for (Path p : List.of(anchors.resolve("corp.crt"), anchors.resolve("zscaler/root.crt"))) {
            assertThat(host.classify(p, false)).as(p.toString()).contains(new Change(p, Kind.SOURCE, null));
        }
        assertThat(host.classify(anchors.resolve(".corp.crt.swp"), false)).isEmpty();
        assertThat(host.classify(Path.of("/usr/local/share/other/x.crt"), false))
                .isEmpty();
    }

    @Test
    void busyNeighboursOfSourcesDoNotMatter() {
        for (Path p : List.of(
                home.resolve("Library/Keychains/login.keychain-db-wal"),
                home.resolve("Library/Keychains/login.keychain-db-shm"),
                Path.of("/etc/corp/other.pem"),
                Path.of("/Library/Application Support/Netskope/STAgent/data/npaccesskey.pem"),
                Path.of("/Library/Application Support/Netskope/STAgent/data/authtoken.pem"))) {
            assertThat(changed(p)).as(p.toString()).isEmpty();
        }
    }

    @Test
    void vmConfigFilesMatterAndNameTheirTarget() {
        assertThat(changed(colima.resolve("default/colima.yaml")))
                .contains(new Change(colima.resolve("default/colima.yaml"), Kind.VM_FILE, "colima/default"));
        assertThat(changed(colima.resolve("work/colima.yaml")).map(Change::target))
                .contains("colima/work");
        assertThat(changed(colima.resolve("_lima/colima/lima.yaml")).map(Change::target))
                .contains("colima/default");
        assertThat(changed(colima.resolve("_lima/colima-work/colima.yaml")).map(Change::target))
                .contains("colima/work");
        assertThat(changed(lima.resolve("dev/lima.yaml")))
                .contains(new Change(lima.resolve("dev/lima.yaml"), Kind.VM_FILE, "lima/dev"));
    }

    @Test
    void haPidOrSshConfigAppearingIsAVmStartAndTheirRemovalIsNot() {
        assertThat(changed(colima.resolve("_lima/colima/ha.pid")))
                .contains(new Change(colima.resolve("_lima/colima/ha.pid"), Kind.VM_START, "colima/default"));
        assertThat(changed(lima.resolve("dev/ssh.config")).map(Change::kind)).contains(Kind.VM_START);
        assertThat(relevance.classify(lima.resolve("dev/ha.pid"), true).map(Change::kind))
                .contains(Kind.VM_FILE);
    }

    @Test
    void vmDisksLogsSocketsAndDeeperFilesDoNotMatter() {
        for (String name : List.of(
                "diffdisk",
                "basedisk",
                "serial.log",
                "ha.stdout.log",
                "ha.stderr.log",
                "ssh.sock",
                "cidata.iso",
                "default.yaml")) {
            assertThat(changed(colima.resolve("_lima/colima/" + name))).as(name).isEmpty();
            assertThat(changed(lima.resolve("dev/" + name))).as(name).isEmpty();
        }
        assertThat(changed(colima.resolve("_lima/colima/sub/ha.pid"))).isEmpty();
        assertThat(changed(colima.resolve("_lima/_config/user"))).isEmpty();
        assertThat(changed(colima.resolve("default/lima.yaml"))).isEmpty();
        assertThat(changed(colima.resolve("_templates/colima.yaml"))).isEmpty();
        assertThat(changed(lima.resolve("_config/ha.pid"))).isEmpty();
        assertThat(changed(home.resolve("colima.yaml"))).isEmpty();
    }

    @Test
    void targetNamesFollowColimaAndLimaNaming() {
        TargetNames names = new TargetNames(colima, colima.resolve("_lima"), lima, Set.of(), Set.of());
        assertThat(names.ofInstanceDir(colima.resolve("_lima/colima"))).contains("colima/default");
        assertThat(names.ofInstanceDir(colima.resolve("_lima/colima-X"))).contains("colima/X");
        assertThat(names.ofInstanceDir(lima.resolve("NAME"))).contains("lima/NAME");
        assertThat(names.ofInstanceDir(lima.resolve("colima")))
                .as("Colima's own, before 0.6")
                .isEmpty();
        assertThat(names.ofInstanceDir(colima.resolve("_lima/_config"))).isEmpty();
        assertThat(names.ofProfileDir(colima.resolve("default"))).contains("colima/default");
        assertThat(names.ofProfileDir(colima.resolve("_templates"))).isEmpty();
    }

    @Test
    void aSharedLimaHomeHoldsBothColimaAndLimaTargets() {
        Path shared = Path.of("/shared/lima");
        TargetNames names = new TargetNames(colima, shared, shared, Set.of(), Set.of());
        assertThat(names.ofInstanceDir(shared.resolve("colima-work"))).contains("colima/work");
        assertThat(names.ofInstanceDir(shared.resolve("dev"))).contains("lima/dev");
    }

    @Test
    void configuredListsLimitTheTargets() {
        TargetNames names =
                new TargetNames(colima, colima.resolve("_lima"), lima, Set.of("colima-work"), Set.of("dev"));
        assertThat(names.ofInstanceDir(colima.resolve("_lima/colima-work"))).contains("colima/work");
        assertThat(names.ofInstanceDir(colima.resolve("_lima/colima"))).isEmpty();
        assertThat(names.ofInstanceDir(lima.resolve("dev"))).contains("lima/dev");
        assertThat(names.ofInstanceDir(lima.resolve("other"))).isEmpty();
    }
}
