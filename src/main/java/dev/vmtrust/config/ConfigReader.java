package dev.vmtrust.config;

import dev.vmtrust.platform.Environment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a {@link Config} from a parsed YAML mapping, recording every problem instead of stopping. */
final class ConfigReader {
    private final Environment env;
    private final PathValues paths;
    private final Problems problems;

    ConfigReader(Environment env, Problems problems) {
        this.env = env;
        this.paths = new PathValues(env);
        this.problems = problems;
    }

    Config read(Path file, Map<?, ?> document) {
        Section root = new Section("", document, problems)
                .expect(
                        "sources",
                        "include",
                        "exclude",
                        "targets",
                        "ssh",
                        "restart",
                        "notify",
                        "resync",
                        "doctor",
                        "containers");
        Config.Sources sources = sources(root.section("sources"));
        List<String> include = root.list("include", List.of(), YamlValues::filter);
        List<String> exclude = root.list("exclude", List.of(), YamlValues::filter);
        Config.Targets targets = targets(root.section("targets"));
        Section ssh = root.section("ssh").expect("connectTimeout", "commandTimeout", "allowHosts");
        Config.Ssh sshConfig = new Config.Ssh(
                ssh.get("connectTimeout", Defaults.CONNECT_TIMEOUT, YamlValues.duration(Defaults.MIN_TIMEOUT)),
                ssh.get("commandTimeout", Defaults.COMMAND_TIMEOUT, YamlValues.duration(Defaults.MIN_TIMEOUT)),
                ssh.list("allowHosts", List.of(), YamlValues::name));
        Config.RestartPolicy restart = root.get(
                        "restart", "auto", (at, v, p) -> YamlValues.word(at, v, p, List.of("auto", "always", "never")))
                .transform(w -> Config.RestartPolicy.valueOf(w.toUpperCase(java.util.Locale.ROOT)));
        Section notify = root.section("notify").expect("desktop", "command");
        Config.Notify notifications = new Config.Notify(
                notify.get("desktop", true, YamlValues::bool), notify.get("command", List.of(), this::argv));
        Section doctor = root.section("doctor").expect("probes");
        Section containers = root.section("containers").expect("inject");
        return new Config(
                file,
                sources,
                include,
                exclude,
                targets,
                sshConfig,
                restart,
                notifications,
                root.get("resync", Defaults.RESYNC, YamlValues.duration(Defaults.MIN_RESYNC)),
                new Config.Doctor(doctor.list("probes", Defaults.PROBES, YamlValues::https)),
                new Config.Containers(containers.get("inject", Defaults.CONTAINERS.inject(), YamlValues::bool)));
    }

    private Config.Sources sources(Section s) {
        s.expect("keychain", "files", "vendorFiles", "host", "publicRoots", "excludePublic");
        Section k = s.section("keychain").expect("enabled", "command", "keychains", "trustedOnly");
        Config.Keychain keychain = new Config.Keychain(
                k.get("enabled", Config.Toggle.AUTO, YamlValues::toggle),
                k.get("command", Defaults.KEYCHAIN_COMMAND, paths::path),
                k.list("keychains", Defaults.keychains(env), paths::path),
                k.get("trustedOnly", true, YamlValues::bool));
        return new Config.Sources(
                keychain,
                s.list("files", List.of(), paths::path),
                s.get("vendorFiles", true, YamlValues::bool),
                s.get("host", Config.Toggle.AUTO, YamlValues::toggle),
                s.get("publicRoots", Defaults.publicRoots(), paths::publicRoots),
                s.get("excludePublic", true, YamlValues::bool));
    }

    private Config.Targets targets(Section t) {
        t.expect("colima", "lima", "persist");
        Section c = t.section("colima").expect("enabled", "home", "profiles", "createTemplate");
        Config.Colima colima = new Config.Colima(
                c.get("enabled", true, YamlValues::bool),
                c.get("home", null, paths::path),
                c.list("profiles", List.of(), YamlValues::name),
                c.get("createTemplate", false, YamlValues::bool));
        Section l = t.section("lima").expect("enabled", "home", "instances");
        Config.Lima lima = new Config.Lima(
                l.get("enabled", true, YamlValues::bool),
                l.get("home", null, paths::path),
                l.list("instances", List.of(), YamlValues::name));
        return new Config.Targets(colima, lima, t.get("persist", true, YamlValues::bool));
    }

    /** {@code notify.command}: argv; the first element names the program, the rest are passed as given. */
    private Optional<List<String>> argv(String at, Object v, Problems p) {
        Optional<List<String>> strings = YamlValues.list(at, v, p, YamlValues::string);
        if (strings.isEmpty() || strings.get().isEmpty()) return strings;
        List<String> argv = new ArrayList<>(strings.get());
        Optional<String> program = paths.program(at + "[0]", argv.get(0), p);
        if (program.isEmpty()) return Optional.empty();
        argv.set(0, program.get());
        return Optional.of(List.copyOf(argv));
    }
}
