package dev.vmtrust.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchPlanTest {
    @TempDir
    Path tmp;

    @Test
    void theDefaultConfigOnMacosWatchesKeychainFoldersTrustSettingsVendorAndVmHomes() {
        Path home = tmp.resolve("home");
        Environment env = Configs.env(home, Os.MACOS);
        Config config = Configs.keychainOn(Config.defaults(home.resolve(".config/vmtrust/config.yaml"), env));
        WatchPlan plan = WatchPlan.of(
                config, env, List.of(Path.of("/Library/Application Support/Netskope/STAgent/data/nscacert.pem")));

        assertThat(plan.roots())
                .containsExactlyInAnyOrder(
                        new WatchPlan.Root(Path.of("/Library/Keychains"), 0),
                        new WatchPlan.Root(home.resolve("Library/Keychains"), 0),
                        new WatchPlan.Root(Path.of("/Library/Application Support/Netskope/STAgent/data"), 0),
                        new WatchPlan.Root(Path.of("/Library/Security/Trust Settings"), 0),
                        new WatchPlan.Root(home.resolve(".colima"), 1),
                        new WatchPlan.Root(home.resolve(".colima/_lima"), 1),
                        new WatchPlan.Root(home.resolve(".lima"), 1));
        assertThat(plan.sourceFiles())
                .contains(
                        Path.of("/Library/Keychains/System.keychain"),
                        home.resolve("Library/Keychains/login.keychain-db"));
        assertThat(plan.polledFiles()).isEmpty();
    }

    @Test
    void keychainAutoWithoutTheSecurityCommandWatchesNoKeychain() {
        Path home = tmp.resolve("home");
        Environment env = Configs.env(home, Os.MACOS);
        Config d = Config.defaults(home.resolve(".config/vmtrust/config.yaml"), env);
        Config.Keychain k = d.sources().keychain();
        Config config = Configs.withSources(
                d,
                new Config.Sources(
                        new Config.Keychain(Config.Toggle.AUTO, tmp.resolve("no-such-security"), k.keychains(), true),
                        List.of(),
                        false,
                        Config.Toggle.OFF,
                        d.sources().publicRoots(),
                        true));
        WatchPlan plan = WatchPlan.of(config, env, List.of());
        assertThat(plan.sourceFiles()).isEmpty();
        assertThat(plan.trustSettingsDirs()).isEmpty();
    }

    @Test
    void withTheKeychainOffOnLinuxOnlyFilesAndVmHomesAreWatched() {
        Path home = tmp.resolve("home");
        Environment env = Configs.env(home, Os.LINUX);
        Config config =
                Configs.config(env, List.of(tmp.resolve("certs/corp.pem")), tmp.resolve("colima"), tmp.resolve("lima"));
        WatchPlan plan = WatchPlan.of(config, env, List.of(Path.of("/opt/netskope/stagent/data/nscacert.pem")));

        assertThat(plan.roots())
                .containsExactly(
                        new WatchPlan.Root(tmp.resolve("certs"), 0),
                        new WatchPlan.Root(tmp.resolve("colima"), 1),
                        new WatchPlan.Root(tmp.resolve("colima/_lima"), 1),
                        new WatchPlan.Root(tmp.resolve("lima"), 1));
        assertThat(plan.trustSettingsDirs()).isEmpty();
        assertThat(plan.sourceFiles()).containsExactly(tmp.resolve("certs/corp.pem")); // vendorFiles: false
    }

    @Test
    void aCertFileDirectlyInHomeIsPolledNotWatched() {
        Path home = tmp.resolve("home");
        Environment env = Configs.env(home, Os.LINUX);
        Config config = Configs.config(env, List.of(home.resolve("corp.pem")), null, null);
        WatchPlan plan = WatchPlan.of(config, env, List.of());
        assertThat(plan.roots()).isEmpty();
        assertThat(plan.polledFiles()).containsExactly(home.resolve("corp.pem"));
        assertThat(plan.sourceFiles()).containsExactly(home.resolve("corp.pem"));
    }

    @Test
    void aSharedLimaHomeIsWatchedOnce() {
        Path home = tmp.resolve("home");
        Environment env = Configs.env(
                home,
                Os.LINUX,
                "LIMA_HOME",
                tmp.resolve("lima").toString(),
                "COLIMA_HOME",
                tmp.resolve("colima").toString());
        Config config = Configs.config(env, List.of(), null, null);
        config = Configs.withTargets(
                config,
                new Config.Targets(
                        new Config.Colima(true, null, List.of(), false), new Config.Lima(true, null, List.of()), true));
        WatchPlan plan = WatchPlan.of(config, env, List.of());
        assertThat(plan.roots())
                .containsExactly(
                        new WatchPlan.Root(tmp.resolve("colima"), 1), new WatchPlan.Root(tmp.resolve("lima"), 1));
        assertThat(plan.targets().colimaLimaHome()).isEqualTo(tmp.resolve("lima"));
    }

    @Test
    void aVmInstanceFolderIsWatchedButNothingBelowIt() {
        WatchPlan plan =
                plan(new WatchPlan.Root(Path.of("/h/.colima"), 1), new WatchPlan.Root(Path.of("/h/.colima/_lima"), 1));
        assertThat(plan.watches(Path.of("/h/.colima/_lima/colima"))).isTrue();
        assertThat(plan.covers(Path.of("/h/.colima/_lima/colima/cidata"))).isFalse();
        assertThat(plan.watches(Path.of("/h/.colima/default"))).isTrue();
        assertThat(plan.covers(Path.of("/h/.colima/default/daemon"))).isFalse();
        assertThat(plan.covers(Path.of("/h"))).isFalse();
    }

    @Test
    void theWalkPassesThroughFoldersBetweenTwoRootsWithoutWatchingTheirFiles() {
        WatchPlan plan = plan(new WatchPlan.Root(Path.of("/a"), 0), new WatchPlan.Root(Path.of("/a/x/y"), 0));
        assertThat(plan.covers(Path.of("/a/x"))).isTrue();
        assertThat(plan.watches(Path.of("/a/x"))).isFalse();
        assertThat(plan.watches(Path.of("/a/x/y"))).isTrue();
        assertThat(plan.covers(Path.of("/a/z"))).isFalse();
    }

    private static WatchPlan plan(WatchPlan.Root... roots) {
        return new WatchPlan(
                List.of(roots),
                java.util.Set.of(),
                java.util.Set.of(),
                java.util.Set.of(),
                new TargetNames(null, null, null, java.util.Set.of(), java.util.Set.of()));
    }
}
