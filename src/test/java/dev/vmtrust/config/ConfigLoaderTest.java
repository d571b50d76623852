package dev.vmtrust.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path home;

    Environment env(String... pairs) {
        Map<String, String> vars = new HashMap<>();
        vars.put("HOME", home.toString());
        for (int i = 0; i < pairs.length; i += 2) vars.put(pairs[i], pairs[i + 1]);
        return new Environment(vars, Os.LINUX);
    }

    Path write(Path file, String yaml) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml);
    }

    @Test
    void aMissingDefaultFileGivesEveryDefault() throws Exception {
        Config c = ConfigLoader.load(Optional.empty(), env());

        assertThat(c).isEqualTo(Config.defaults(home.resolve(".config/vmtrust/config.yaml"), env()));
        assertThat(c.file()).isEqualTo(home.resolve(".config/vmtrust/config.yaml"));
        Config.Keychain k = c.sources().keychain();
        assertThat(k.enabled()).isEqualTo(Config.Toggle.AUTO);
        assertThat(k.command()).isEqualTo(Path.of("/usr/bin/security"));
        assertThat(k.keychains())
                .containsExactly(
                        Path.of("/Library/Keychains/System.keychain"),
                        home.resolve("Library/Keychains/login.keychain-db"));
        assertThat(k.trustedOnly()).isTrue();
        assertThat(c.sources().files()).isEmpty();
        assertThat(c.sources().vendorFiles()).isTrue();
        assertThat(c.sources().publicRoots()).isEqualTo(new Config.PublicRoots(Config.PublicRoots.Kind.AUTO, null));
        assertThat(c.sources().excludePublic()).isTrue();
        assertThat(c.include()).isEmpty();
        assertThat(c.exclude()).isEmpty();
        assertThat(c.targets().colima()).isEqualTo(new Config.Colima(true, null, List.of(), false));
        assertThat(c.targets().lima()).isEqualTo(new Config.Lima(true, null, List.of()));
        assertThat(c.targets().persist()).isTrue();
        assertThat(c.ssh()).isEqualTo(new Config.Ssh(Duration.ofSeconds(10), Duration.ofSeconds(120), List.of()));
        assertThat(c.restart()).isEqualTo(Config.RestartPolicy.AUTO);
        assertThat(c.notifications()).isEqualTo(new Config.Notify(true, List.of()));
        assertThat(c.resync()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.doctor().probes())
                .containsExactly(
                        URI.create("https://registry-1.docker.io/v2/"), URI.create("https://pypi.org/simple/"));
    }

    @Test
    void anEmptyOrCommentOnlyFileGivesEveryDefault() throws Exception {
        Path file = write(home.resolve(".config/vmtrust/config.yaml"), "# nothing here yet\n");
        assertThat(ConfigLoader.load(Optional.empty(), env())).isEqualTo(Config.defaults(file, env()));
        write(file, "");
        assertThat(ConfigLoader.load(Optional.empty(), env())).isEqualTo(Config.defaults(file, env()));
    }

    @Test
    void aNullSectionOrValueTakesTheDefault() throws Exception {
        Path file = write(home.resolve("c.yaml"), "sources:\ntargets:\n  colima:\n    profiles:\nresync:\n");
        assertThat(ConfigLoader.load(Optional.of(file), env())).isEqualTo(Config.defaults(file, env()));
    }

    @Test
    void aFullFileSetsEveryKey() throws Exception {
        Path file = write(home.resolve("full.yaml"), """
                sources:
                  keychain: {enabled: false, command: /opt/bin/security,
                             keychains: [~/k1.keychain, /k2.keychain], trustedOnly: false}
                  files: [/etc/corp/root.pem, ~/certs/proxy.der]
                  vendorFiles: false
                  host: false
                  publicRoots: ~/roots.pem
                  excludePublic: false
                include: ["Zscaler", "sha256:AB:CD:456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"]
                exclude: [Old Root]
                targets:
                  colima: {enabled: false, home: ~/colima-home, profiles: [default, work], createTemplate: true}
                  lima:   {enabled: false, home: /opt/lima, instances: [dev]}
                  persist: false
                ssh: {connectTimeout: 500ms, commandTimeout: 2h, allowHosts: [build.example.com]}
                restart: never
                notify: {desktop: false, command: [~/bin/hook, --json, ""]}
                resync: 1d
                doctor: {probes: ["https://proxy.example.com/health"]}
                """);

        Config c = ConfigLoader.load(Optional.of(file), env());

        assertThat(c)
                .isEqualTo(new Config(
                        file,
                        new Config.Sources(
                                new Config.Keychain(
                                        Config.Toggle.OFF,
                                        Path.of("/opt/bin/security"),
                                        List.of(home.resolve("k1.keychain"), Path.of("/k2.keychain")),
                                        false),
                                List.of(Path.of("/etc/corp/root.pem"), home.resolve("certs/proxy.der")),
                                false,
                                Config.Toggle.OFF,
                                new Config.PublicRoots(Config.PublicRoots.Kind.FILE, home.resolve("roots.pem")),
                                false),
                        List.of("Zscaler", "sha256:abcd456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
                        List.of("Old Root"),
                        new Config.Targets(
                                new Config.Colima(false, home.resolve("colima-home"), List.of("default", "work"), true),
                                new Config.Lima(false, Path.of("/opt/lima"), List.of("dev")),
                                false),
                        new Config.Ssh(Duration.ofMillis(500), Duration.ofHours(2), List.of("build.example.com")),
                        Config.RestartPolicy.NEVER,
                        new Config.Notify(
                                false, List.of(home.resolve("bin/hook").toString(), "--json", "")),
                        Duration.ofDays(1),
                        new Config.Doctor(List.of(URI.create("https://proxy.example.com/health")))));
    }

    @Test
    void keychainEnabledAcceptsAutoTrueAndFalse() throws Exception {
        for (var e : Map.of("auto", Config.Toggle.AUTO, "true", Config.Toggle.ON, "false", Config.Toggle.OFF)
                .entrySet()) {
            Config c = ConfigLoader.parse(
                    home.resolve("c.yaml"), "sources: {keychain: {enabled: " + e.getKey() + "}}", env());
            assertThat(c.sources().keychain().enabled()).isEqualTo(e.getValue());
        }
    }

    @Test
    void publicRootsAcceptsNoneAndRestartAcceptsAlways() throws Exception {
        Config c = ConfigLoader.parse(home.resolve("c.yaml"), "sources: {publicRoots: none}\nrestart: always\n", env());
        assertThat(c.sources().publicRoots()).isEqualTo(new Config.PublicRoots(Config.PublicRoots.Kind.NONE, null));
        assertThat(c.restart()).isEqualTo(Config.RestartPolicy.ALWAYS);
    }

    @Test
    void tildeExpandsFromHOMENotFromTheJavaUserHome() throws Exception {
        Path otherHome = home.resolve("someone");
        Environment env = new Environment(Map.of("HOME", otherHome.toString()), Os.LINUX);
        Config c = ConfigLoader.parse(home.resolve("c.yaml"), "sources: {files: [~/a.pem, \"~\"]}", env);
        assertThat(c.sources().files()).containsExactly(otherHome.resolve("a.pem"), otherHome);
        assertThat(c.sources().keychain().keychains().get(1))
                .isEqualTo(otherHome.resolve("Library/Keychains/login.keychain-db"));
    }

    @Test
    void theFlagWinsOverVMTRUSTCONFIGWhichWinsOverTheDefault() throws Exception {
        Path flag = write(home.resolve("flag.yaml"), "resync: 1h");
        Path fromEnv = write(home.resolve("env.yaml"), "resync: 2h");
        write(home.resolve(".config/vmtrust/config.yaml"), "resync: 3h");

        assertThat(ConfigLoader.load(Optional.of(flag), env("VMTRUST_CONFIG", fromEnv.toString()))
                        .resync())
                .isEqualTo(Duration.ofHours(1));
        Config c = ConfigLoader.load(Optional.empty(), env("VMTRUST_CONFIG", fromEnv.toString()));
        assertThat(c.resync()).isEqualTo(Duration.ofHours(2));
        assertThat(c.file()).isEqualTo(fromEnv);
        assertThat(ConfigLoader.load(Optional.empty(), env()).resync()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void VMTRUST_CONFIG_may_start_with_a_tilde() throws Exception {
        write(home.resolve("env.yaml"), "resync: 2h");
        assertThat(ConfigLoader.load(Optional.empty(), env("VMTRUST_CONFIG", "~/env.yaml"))
                        .resync())
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void XDG_CONFIG_HOME_replaces_the_dot_config_folder() throws Exception {
        Path xdg = home.resolve("xdg");
        write(xdg.resolve("vmtrust/config.yaml"), "resync: 4h");
        write(home.resolve(".config/vmtrust/config.yaml"), "resync: 3h");

        Config c = ConfigLoader.load(Optional.empty(), env("XDG_CONFIG_HOME", xdg.toString()));
        assertThat(c.resync()).isEqualTo(Duration.ofHours(4));
        assertThat(c.file()).isEqualTo(xdg.resolve("vmtrust/config.yaml"));
    }

    @Test
    void aNamedFileThatDoesNotExistIsAnError() {
        Path missing = home.resolve("x/y.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), env()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " does not exist")
                .satisfies(e -> assertThat(((ConfigException) e).file()).isEqualTo(missing));
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), env("VMTRUST_CONFIG", missing.toString())))
                .hasMessage("config file " + missing + " does not exist (named by VMTRUST_CONFIG)");
    }

    @Test
    void aFolderInPlaceOfTheFileIsAnError() throws Exception {
        Path dir = Files.createDirectories(home.resolve(".config/vmtrust/config.yaml"));
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), env()))
                .hasMessage(dir + ": is a folder, not a config file");
    }

    @Test
    void withoutHOMETheConfigCannotBeResolved() {
        Environment noHome = new Environment(Map.of(), Os.LINUX);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), noHome))
                .isInstanceOf(ConfigException.class)
                .hasMessage("HOME is not set; vmtrust needs it to find your config, Colima and Lima");
    }
}
