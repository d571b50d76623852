package dev.vmtrust.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationsTest {
    @TempDir
    Path home;

    Locations at(Os os, String... pairs) {
        Map<String, String> vars = new HashMap<>();
        vars.put("HOME", home.toString());
        for (int i = 0; i < pairs.length; i += 2) vars.put(pairs[i], pairs[i + 1]);
        return new Locations(new Environment(vars, os));
    }

    Config defaults() {
        return Config.defaults(home.resolve("c.yaml"), new Environment(Map.of("HOME", home.toString()), Os.LINUX));
    }

    Config withHomes(Path colima, Path lima) {
        Config d = defaults();
        Config.Targets t = new Config.Targets(
                new Config.Colima(true, colima, List.of(), false), new Config.Lima(true, lima, List.of()), true);
        return new Config(
                d.file(),
                d.sources(),
                d.include(),
                d.exclude(),
                t,
                d.ssh(),
                d.restart(),
                d.notifications(),
                d.resync(),
                d.doctor());
    }

    @Test
    void configFilePrecedenceIsFlagThenEnvThenXdgThenDotConfig() {
        Path flag = Path.of("/etc/flag.yaml");
        assertThat(at(Os.LINUX, "VMTRUST_CONFIG", "/e.yaml").findConfig(Optional.of(flag)))
                .isEqualTo(new ConfigFile(flag, ConfigFile.Origin.FLAG));
        assertThat(at(Os.LINUX, "VMTRUST_CONFIG", "/e.yaml", "XDG_CONFIG_HOME", "/x")
                        .findConfig(Optional.empty()))
                .isEqualTo(new ConfigFile(Path.of("/e.yaml"), ConfigFile.Origin.ENV));
        assertThat(at(Os.LINUX, "XDG_CONFIG_HOME", "/x").configFile(Optional.empty()))
                .isEqualTo(Path.of("/x/vmtrust/config.yaml"));
        assertThat(at(Os.MACOS).findConfig(Optional.empty()))
                .isEqualTo(new ConfigFile(home.resolve(".config/vmtrust/config.yaml"), ConfigFile.Origin.DEFAULT));
    }

    @Test
    void emptyOrRelativeXdgVariablesAreIgnored() {
        assertThat(at(Os.LINUX, "XDG_CONFIG_HOME", "").configFile(Optional.empty()))
                .isEqualTo(home.resolve(".config/vmtrust/config.yaml"));
        assertThat(at(Os.LINUX, "XDG_STATE_HOME", "state").stateDir()).isEqualTo(home.resolve(".local/state/vmtrust"));
    }

    @Test
    void stateFolderFollowsXdgThenTheOsConvention() {
        assertThat(at(Os.MACOS, "XDG_STATE_HOME", "/s").stateDir()).isEqualTo(Path.of("/s/vmtrust"));
        assertThat(at(Os.MACOS).stateDir()).isEqualTo(home.resolve("Library/Application Support/vmtrust"));
        assertThat(at(Os.LINUX).stateDir()).isEqualTo(home.resolve(".local/state/vmtrust"));
        assertThat(at(Os.OTHER).stateDir()).isEqualTo(home.resolve(".local/state/vmtrust"));
    }

    @Test
    void logsHaveAFolderOnMacosOnly() {
        assertThat(at(Os.MACOS).logDir()).contains(home.resolve("Library/Logs/vmtrust"));
        assertThat(at(Os.LINUX).logDir()).isEmpty();
    }

    @Test
    void colimaHomeIsConfigThenCOLIMAHOMEThenDotColima() {
        Path explicit = home.resolve("explicit");
        assertThat(at(Os.LINUX, "COLIMA_HOME", "/ch").colimaHome(withHomes(explicit, null)))
                .isEqualTo(explicit);
        assertThat(at(Os.LINUX, "COLIMA_HOME", "/ch").colimaHome(defaults())).isEqualTo(Path.of("/ch"));
        assertThat(at(Os.LINUX, "COLIMA_HOME", "~/ch").colimaHome(defaults())).isEqualTo(home.resolve("ch"));
        assertThat(at(Os.LINUX).colimaHome(defaults())).isEqualTo(home.resolve(".colima"));
    }

    @Test
    void colimaHomeFallsBackToTheXdgFolderOnlyWhenDotColimaIsMissingAndItExists() throws Exception {
        Files.createDirectories(home.resolve(".config/colima"));
        assertThat(at(Os.LINUX).colimaHome(defaults())).isEqualTo(home.resolve(".config/colima"));

        Path xdg = home.resolve("xdg");
        assertThat(at(Os.LINUX, "XDG_CONFIG_HOME", xdg.toString()).colimaHome(defaults()))
                .as("XDG_CONFIG_HOME/colima does not exist")
                .isEqualTo(home.resolve(".colima"));
        Files.createDirectories(xdg.resolve("colima"));
        assertThat(at(Os.LINUX, "XDG_CONFIG_HOME", xdg.toString()).colimaHome(defaults()))
                .isEqualTo(xdg.resolve("colima"));

        Files.createDirectories(home.resolve(".colima"));
        assertThat(at(Os.LINUX, "XDG_CONFIG_HOME", xdg.toString()).colimaHome(defaults()))
                .isEqualTo(home.resolve(".colima"));
    }

    @Test
    void colimasLimaHomeIsLIMAHOMEElseUnderscoreLimaInColimaHome() {
        assertThat(at(Os.LINUX, "COLIMA_HOME", "/ch").colimaLimaHome(defaults()))
                .isEqualTo(Path.of("/ch/_lima"));
        assertThat(at(Os.LINUX, "COLIMA_HOME", "/ch", "LIMA_HOME", "/lh").colimaLimaHome(defaults()))
                .isEqualTo(Path.of("/lh"));
    }

    @Test
    void limaHomeIsConfigThenLIMAHOMEThenDotLima() {
        assertThat(at(Os.LINUX, "LIMA_HOME", "/lh").limaHome(withHomes(null, Path.of("/cfg"))))
                .isEqualTo(Path.of("/cfg"));
        assertThat(at(Os.LINUX, "LIMA_HOME", "/lh").limaHome(defaults())).isEqualTo(Path.of("/lh"));
        assertThat(at(Os.LINUX).limaHome(defaults())).isEqualTo(home.resolve(".lima"));
    }
}
